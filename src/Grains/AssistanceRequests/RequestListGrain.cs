using AssistanceRouter.Grains.Storage;
using Orleans.Concurrency;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// Reads a page of ids from the <see cref="IRequestIndex"/> and each request's view from its grain. A list entry that
/// disagrees with its request (a write order's leftover after a crash) is skipped and taken out of the list.
/// </summary>
[StatelessWorker]
public sealed partial class RequestListGrain(IRequestIndex index, ILogger<RequestListGrain> logger) : Grain, IRequestListGrain
{
    public async Task<RequestListPage> Page(string list, string? topic, int skip, int take)
    {
        var page = await index.PageAsync(list, topic, newestFirst: list != RequestLists.Open, skip, take);
        var views = await Task.WhenAll(page.RequestIds.Select(id => GrainFactory.GetGrain<IAssistanceRequestGrain>(id).Get()));
        var listed = new List<AssistanceRequestView>(views.Length);
        for (var i = 0; i < views.Length; i++)
        {
            if (views[i] is { } view && Belongs(view, list))
            {
                listed.Add(view);
                continue;
            }
            try
            {
                await index.RemoveAsync(list, page.RequestIds[i], views[i]?.Topic ?? topic ?? "");
            }
            catch (Exception ex)
            {
                LogStaleEntryKept(logger, ex, list);
            }
        }
        return new RequestListPage([.. listed], page.Total);
    }

    public Task<long> Count(string list, string? topic) => index.CountAsync(list, topic);

    private static bool Belongs(AssistanceRequestView view, string list) => list switch
    {
        RequestLists.Open => view.Acknowledgement is null && view.Resolution is null,
        RequestLists.Acknowledged => view.Status == RequestStatus.Acknowledged,
        RequestLists.Resolved => view.Status == RequestStatus.Resolved,
        RequestLists.Failed => view.Deliveries.Any(d => d.Status == DeliveryStatus.Failed) && view.Resolution is null && view.Acknowledgement is null,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take a stale entry out of the {List} list")]
    private static partial void LogStaleEntryKept(ILogger logger, Exception exception, string list);
}
