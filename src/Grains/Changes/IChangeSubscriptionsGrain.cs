namespace AssistanceRouter.Grains.Changes;

/// <summary>Which API nodes want the cluster's changes: every silo asks before each batch it pushes.</summary>
public interface IChangeSubscriptionsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or renews a subscription; one not renewed within <see cref="ChangeSubscriptionsGrain.Expiry"/> lapses.</summary>
    Task Subscribe(IRequestChangeObserver observer);

    Task Unsubscribe(IRequestChangeObserver observer);

    Task<IRequestChangeObserver[]> Subscribers();
}
