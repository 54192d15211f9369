namespace AssistanceRouter.Grains.Changes;

/// <summary>An API node's one subscription to the cluster's changes (not one per page: the node fans out itself).</summary>
public interface IRequestChangeObserver : IGrainObserver
{
    Task OnChanges(ChangeBatch batch);
}
