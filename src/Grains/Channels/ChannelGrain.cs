using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Queues a channel's deliveries, sends them within its rate limit, retries transient failures with backoff,
/// and reports every attempt to the request it belongs to. The queue lives in memory: each request keeps its
/// own pending deliveries durably and re-queues them (its reminder) if this activation is lost.
/// Reentrant so that queueing never waits for sends in flight.
/// </summary>
[Reentrant]
public sealed class ChannelGrain(
    ChannelCatalog catalog,
    IServiceProvider services,
    IOptions<DeliveryOptions> deliveryOptions,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<ChannelGrain> logger) : Grain, IChannelGrain
{
    private readonly DeliveryOptions options = deliveryOptions.Value;
    private readonly Dictionary<Guid, QueuedDelivery> queued = [];
    private readonly PriorityQueue<QueuedDelivery, (DateTimeOffset Due, long Order)> byDueTime = new();
    private readonly RetrySchedule retrySchedule = new(deliveryOptions.Value);
    private long order;
    private ChannelSettings? settings;
    private IChannelSender? sender;
    private string? problem;
    private TokenBucket bucket = new(1, 1);
    private IGrainTimer? pump;
    private long delivered, failed, retried, rateLimited;
    private string? lastError;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        settings = catalog.Find(Name);
        if (settings is null)
        {
            problem = $"channel '{Name}' does not exist; known channels: {string.Join(", ", catalog.Names)}";
        }
        else
        {
            var setup = settings.Kind.CreateSender(settings, services);
            (sender, problem) = (setup.Sender, setup.Problem);
            bucket = new TokenBucket(settings.RatePerSecond, settings.Burst);
        }
        if (problem is not null) logger.LogWarning("Channel {Channel} cannot send: {Problem}", Name, problem);
        return Task.CompletedTask;
    }

    public Task<ChannelAdmission> Enqueue(DeliveryWork work)
    {
        var now = time.GetUtcNow();
        var due = work.NotBefore is { } notBefore && notBefore > now ? notBefore : now;
        if (!queued.ContainsKey(work.RequestId))
        {
            Queue(new QueuedDelivery(work, work.PreviousAttempts), due);
            SchedulePump();
        }
        return Task.FromResult(new ChannelAdmission(problem, EstimatedStart(now, due)));
    }

    /// <summary>When the channel, sending at its rate, gets to the last of what it holds (never before <paramref name="due"/>).</summary>
    private DateTimeOffset? EstimatedStart(DateTimeOffset now, DateTimeOffset due)
    {
        if (sender is null || settings is null) return null;
        var reached = bucket.NextAvailableAt(now) + TimeSpan.FromSeconds(Math.Max(0, queued.Count - 1) / settings.RatePerSecond);
        return Max(reached, due);
    }

    public Task Cancel(Guid requestId)
    {
        queued.Remove(requestId);
        return Task.CompletedTask;
    }

    public Task<ChannelView> GetView()
    {
        var now = time.GetUtcNow();
        var pausedUntil = bucket.PausedUntil > now ? bucket.PausedUntil : (DateTimeOffset?)null;
        return Task.FromResult(new ChannelView(
            Name, settings?.Kind.Name ?? "unknown", sender is not null, settings?.RatePerSecond ?? 0, settings?.Burst ?? 0,
            queued.Count, delivered, failed, retried, rateLimited, problem ?? lastError, pausedUntil is not null, pausedUntil));
    }

    private void Queue(QueuedDelivery delivery, DateTimeOffset due)
    {
        queued[delivery.Work.RequestId] = delivery;
        byDueTime.Enqueue(delivery, (due, order++));
    }

    /// <summary>Arms the pump for the moment the next queued delivery may go: its due time, or the next token.</summary>
    private void SchedulePump()
    {
        if (sender is null) return;
        DropStale();
        if (!byDueTime.TryPeek(out _, out var next)) return;
        var now = time.GetUtcNow();
        var at = Max(next.Due, bucket.NextAvailableAt(now));
        var dueIn = at > now ? at - now : TimeSpan.Zero;
        if (pump is null)
            pump = this.RegisterGrainTimer(Pump, new GrainTimerCreationOptions(dueIn, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        else
            pump.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    private async Task Pump(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = new List<QueuedDelivery>();
        DropStale();
        while (batch.Count < options.MaxConcurrentSends && byDueTime.TryPeek(out var next, out var key) && key.Due <= now)
        {
            if (!bucket.TryTake(now)) break;
            byDueTime.Dequeue();
            batch.Add(next);
            DropStale();
        }
        if (batch.Count > 0) await Task.WhenAll(batch.Select(Attempt));
        SchedulePump();
    }

    /// <summary>Removes heap entries that were cancelled or re-queued since they were added.</summary>
    private void DropStale()
    {
        while (byDueTime.TryPeek(out var top, out _) && (!queued.TryGetValue(top.Work.RequestId, out var current) || !ReferenceEquals(current, top)))
            byDueTime.Dequeue();
    }

    private async Task Attempt(QueuedDelivery delivery)
    {
        var work = delivery.Work;
        var result = await Send(work);
        var now = time.GetUtcNow();
        var outcome = Outcome(delivery, result, now);
        bool stillWanted;
        try
        {
            stillWanted = await GrainFactory.GetGrain<IAssistanceRequestGrain>(work.RequestId).RecordAttempt(Name, outcome);
        }
        catch (Exception ex)
        {
            // The request's reminder re-queues it if it never heard of this attempt: at least once, never lost.
            logger.LogWarning(ex, "Could not record an attempt of request {RequestId} on {Channel}", work.RequestId, Name);
            stillWanted = outcome.Result == AttemptResult.WillRetry;
        }
        if (!ReferenceEquals(queued.GetValueOrDefault(work.RequestId), delivery)) return; // cancelled while sending
        if (outcome.Result == AttemptResult.WillRetry && stillWanted)
            Queue(delivery with { Attempts = delivery.Attempts + 1 }, outcome.NextAttemptAt!.Value);
        else
            queued.Remove(work.RequestId);
    }

    private async Task<SendResult> Send(DeliveryWork work)
    {
        var message = new DeliveryMessage(work.RequestId, Name, work.Topic, work.Description, work.CreatedAt);
        using var timeout = new CancellationTokenSource(options.AttemptTimeout, time);
        try
        {
            return await sender!.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return SendResult.Transient($"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Channel {Channel} failed to send request {RequestId}", Name, work.RequestId);
            return SendResult.Transient($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private AttemptOutcome Outcome(QueuedDelivery delivery, SendResult result, DateTimeOffset now)
    {
        switch (result.Status)
        {
            case SendStatus.Delivered:
                delivered++;
                metrics.Delivered(Name, now - delivery.Work.CreatedAt);
                return new AttemptOutcome(AttemptResult.Delivered, now, null, null);
            case SendStatus.Permanent:
                failed++;
                metrics.Failed(Name);
                lastError = result.Error;
                return new AttemptOutcome(AttemptResult.Failed, now, result.Error, null);
        }
        lastError = result.Error;
        if (result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            rateLimited++;
            metrics.RateLimited(Name);
            bucket.PauseUntil(now, now + retryAfter);
        }
        if (now - delivery.Work.PendingSince >= options.GiveUpAfter)
        {
            failed++;
            metrics.Failed(Name);
            return new AttemptOutcome(AttemptResult.Failed, now, $"gave up after {options.GiveUpAfter}: {result.Error}", null);
        }
        retried++;
        metrics.Retried(Name);
        var backoff = retrySchedule.Delay(delivery.Attempts + 1);
        var wait = result.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        return new AttemptOutcome(AttemptResult.WillRetry, now, result.Error, now + wait);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>A queued delivery and the attempts made on it so far.</summary>
    private sealed record QueuedDelivery(DeliveryWork Work, int Attempts);
}
