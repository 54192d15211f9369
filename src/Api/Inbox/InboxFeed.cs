using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// This API node's one subscription to the cluster's changes (an Orleans observer that every silo pushes batches to),
/// feeding the <see cref="InboxProjection"/> and every open <c>/inbox/events</c> page. It subscribes before it reads
/// the lists, so that nothing changed in between is missed; it reads them again when a silo's batches show a gap, or a
/// silo falls silent (it died with changes not yet sent), and then tells every page to read the inbox again.
/// </summary>
public sealed partial class InboxFeed(
    IClusterClient cluster, InboxProjection projection, InboxStreams streams, TimeProvider time, ILogger<InboxFeed> logger)
    : BackgroundService, IRequestChangeObserver
{
    /// <summary>Subscription renewal, keep-alives to the pages, and the check for silent silos.</summary>
    public static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(15);

    /// <summary>Until the first subscription and read succeed (the cluster may still be starting).</summary>
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    /// <summary>A silo silent this long (it sends keep-alives every 2 s) is taken for gone.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(30);

    /// <summary>How much of each list a node reads when it starts: the searchable requests at most.</summary>
    public const int ReadOpen = 100_000, ReadTaken = 20_000, ReadResolved = 20_000;

    private const int PageSize = 200;

    /// <summary>Pages overlap by this much, since a request taken meanwhile shifts the rest of a list.</summary>
    private const int PageOverlap = 20;

    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<Guid, (long Sequence, DateTimeOffset HeardAt)> sources = [];
    private readonly SemaphoreSlim reading = new(1, 1);
    private IRequestChangeObserver? reference;
    private int readAgain;

    /// <summary>Done once the lists were read the first time: the projection holds every request the inbox shows.</summary>
    public Task Ready => ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RetryEvery, time);
        try
        {
            do
            {
                streams.Broadcast(InboxEvents.KeepAlive);
                if (await SubscribeAsync() && (!Ready.IsCompleted || Interlocked.Exchange(ref readAgain, 0) == 1 || ForgetSilentSources()))
                    await ReadListsAsync(stoppingToken);
                timer.Period = Ready.IsCompleted ? TickEvery : RetryEvery;
                projection.Prune();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (reference is null) return;
        try
        {
            await cluster.GetGrain<IChangeSubscriptionsGrain>(0).Unsubscribe(reference).WaitAsync(TimeSpan.FromSeconds(2), time, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnsubscribeFailed(logger, ex); // it lapses by itself
        }
    }

    public Task OnChanges(ChangeBatch batch)
    {
        bool gap;
        lock (sources)
        {
            // A batch of changes takes the next number; a keep-alive repeats the last. A source heard for the first time
            // was either running when this node subscribed (so all it sends from then on reaches here) or is new.
            gap = sources.TryGetValue(batch.Source, out var last) && batch.Sequence > last.Sequence + (batch.Changes.Length > 0 ? 1 : 0);
            if (batch.Final) sources.Remove(batch.Source);
            else sources[batch.Source] = (Math.Max(batch.Sequence, last.Sequence), time.GetUtcNow());
        }
        if (batch.Changes.Length > 0)
        {
            projection.Apply(batch.Changes.Select(c => c.Request));
            streams.Publish(batch.Changes);
        }
        if (gap)
        {
            LogGap(logger, batch.Source);
            ReadListsSoon();
        }
        return Task.CompletedTask;
    }

    /// <summary>What this node itself just did, in the projection at once rather than a batch later.</summary>
    public void Saw(AssistanceRequestView? request)
    {
        if (request is not null) projection.Apply(RequestSummary.Of(request, time.GetUtcNow()));
    }

    private async Task<bool> SubscribeAsync()
    {
        try
        {
            reference ??= cluster.CreateObjectReference<IRequestChangeObserver>(this);
            await cluster.GetGrain<IChangeSubscriptionsGrain>(0).Subscribe(reference);
            return true;
        }
        catch (Exception ex)
        {
            LogSubscribeFailed(logger, ex);
            return false;
        }
    }

    private bool ForgetSilentSources()
    {
        var now = time.GetUtcNow();
        lock (sources)
        {
            var silent = sources.Where(s => now - s.Value.HeardAt > SilentAfter).Select(s => s.Key).ToArray();
            foreach (var source in silent) sources.Remove(source);
            return silent.Length > 0;
        }
    }

    private void ReadListsSoon()
    {
        Interlocked.Exchange(ref readAgain, 1);
        if (reading.CurrentCount == 0) return; // the read under way is followed by another
        _ = Task.Run(async () =>
        {
            if (Interlocked.Exchange(ref readAgain, 0) == 1) await ReadListsAsync(CancellationToken.None);
        });
    }

    /// <summary>Reads the open, taken and recently resolved lists into a fresh projection, and tells every page to read again.</summary>
    private async Task ReadListsAsync(CancellationToken cancellation)
    {
        await reading.WaitAsync(cancellation);
        try
        {
            var readAt = time.GetUtcNow();
            projection.BeginSeed();
            var seed = new List<RequestSummary>();
            var complete = false;
            try
            {
                var lists = cluster.GetGrain<IRequestListGrain>(0);
                await ReadAsync(lists, RequestLists.Open, ReadOpen, seed, readAt, _ => true, cancellation);
                await ReadAsync(lists, RequestLists.Acknowledged, ReadTaken, seed, readAt, _ => true, cancellation);
                var since = readAt - InboxProjection.ResolvedWindow;
                await ReadAsync(lists, RequestLists.Resolved, ReadResolved, seed, readAt, v => v.Resolution is { } done && done.At >= since, cancellation);
                complete = true;
            }
            finally
            {
                projection.EndSeed(complete ? seed : null); // a read that failed half-way leaves the projection as it was
            }
            var first = ready.TrySetResult();
            if (!first) streams.Broadcast(InboxEvents.Reset);
            LogRead(logger, projection.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReadFailed(logger, ex);
            Interlocked.Exchange(ref readAgain, 1); // the next tick tries again
        }
        finally
        {
            reading.Release();
        }
    }

    private static async Task ReadAsync(IRequestListGrain lists, string list, int limit, List<RequestSummary> into, DateTimeOffset readAt,
        Func<AssistanceRequestView, bool> wanted, CancellationToken cancellation)
    {
        for (var skip = 0; skip < limit; skip += PageSize - PageOverlap)
        {
            cancellation.ThrowIfCancellationRequested();
            var page = await lists.Page(list, null, skip, PageSize);
            foreach (var view in page.Requests)
            {
                if (!wanted(view)) return;
                into.Add(RequestSummary.Of(view, readAt));
            }
            if (skip + PageSize >= page.Total) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The inbox read the request lists: {Count} requests")]
    private static partial void LogRead(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The inbox could not read the request lists; it tries again")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Changes from silo {Source} were lost on the way; the inbox reads the lists again")]
    private static partial void LogGap(ILogger logger, Guid source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The inbox could not subscribe to the cluster's changes yet; it tries again")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The inbox could not unsubscribe from the cluster's changes")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}
