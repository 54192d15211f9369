using Microsoft.Extensions.Hosting;

namespace AssistanceRouter.Grains.Changes;

/// <summary>
/// Pushes this silo's buffered changes to every subscribed API node every <see cref="FlushEvery"/>: one call per node
/// per batch, whatever the number of changes or of pages open on that node. Asks who subscribes before each batch, so
/// that a node receives every change made after its subscription was stored.
/// </summary>
public sealed partial class ChangePump(RequestChanges changes, IGrainFactory grains, TimeProvider time, ILogger<ChangePump> logger) : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>A silo with nothing to say still says it is there this often, so that a node notices one that went away.</summary>
    public static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(2);

    /// <summary>How long one batch may take to reach the nodes before the next is sent; a late one is seen as a gap.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private long sequence;
    private DateTimeOffset lastSent;
    private IRequestChangeObserver[] subscribers = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(final: false, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(final: true, cancellationToken); // what is left goes out, and the nodes hear this silo stopped on purpose
    }

    private async Task FlushAsync(bool final, CancellationToken cancellation)
    {
        var (batch, lost) = changes.Drain();
        if (lost) sequence++; // the dropped changes' number: every node sees it missing
        var now = time.GetUtcNow();
        if (batch.Length == 0 && !final && now - lastSent < KeepAliveEvery) return;
        if (batch.Length > 0) sequence++;
        try
        {
            subscribers = await grains.GetGrain<IChangeSubscriptionsGrain>(0).Subscribers();
        }
        catch (Exception ex)
        {
            LogSubscribersUnknown(logger, ex); // the last known list serves; a node that missed a batch sees the gap
        }
        var message = new ChangeBatch(changes.Source, sequence, batch, final);
        lastSent = now;
        try
        {
            await Task.WhenAll(subscribers.Select(s => SendAsync(s, message))).WaitAsync(SendTimeout, time, cancellation);
        }
        catch (TimeoutException)
        {
            LogSlowSubscriber(logger, SendTimeout);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(IRequestChangeObserver subscriber, ChangeBatch batch)
    {
        try
        {
            await subscriber.OnChanges(batch);
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex); // that node sees a gap in the sequence and reads the lists again
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the change subscriptions; using the last known ones")]
    private static partial void LogSubscribersUnknown(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A change batch did not reach an API node")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "A change batch took longer than {Timeout} to reach the API nodes")]
    private static partial void LogSlowSubscriber(ILogger logger, TimeSpan timeout);
}
