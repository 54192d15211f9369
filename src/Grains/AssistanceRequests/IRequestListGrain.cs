namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Pages through the request lists (the <c>Open</c> queue, acknowledged, resolved, failed) on any silo.</summary>
public interface IRequestListGrain : IGrainWithIntegerKey
{
    /// <summary>The <c>Open</c> queue oldest first, the others newest first; <paramref name="topic"/> null: every topic.</summary>
    Task<RequestListPage> Page(string list, string? topic, int skip, int take);

    Task<long> Count(string list, string? topic);
}

[GenerateSerializer, Immutable]
public sealed record RequestListPage([property: Id(0)] AssistanceRequestView[] Requests, [property: Id(1)] long Total);
