using AssistanceRouter.Grains.Events;
using Microsoft.Extensions.Hosting;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Wakes every channel when this silo starts and every <see cref="Interval"/> after, and as soon as a silo is declared dead: a channel grain loads its stored
/// queue when it activates, and nothing else would activate it after a restart or after the silo holding it died.
/// </summary>
public sealed partial class ChannelWaker(
    IGrainFactory grains, ChannelCatalog catalog, EventsChannel events, IClusterMembershipService membership, TimeProvider time, ILogger<ChannelWaker> logger)
    : BackgroundService, IStartupTask
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Runs once the silo is active, so that the first wake comes at once rather than an interval later.</summary>
    public Task Execute(CancellationToken cancellationToken) => WakeAll();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(Periodically(stoppingToken), WhenSilosDie(stoppingToken));

    private async Task Periodically(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await WakeAll();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A silo declared dead took its channel activations with it: wake them elsewhere at once.</summary>
    private async Task WhenSilosDie(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        var first = true; // silos dead before this one started are history, not news
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress));
                if (newlyDead > 0 && !first) await WakeAll();
                first = false;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WakeAll()
    {
        var names = catalog.Names.Concat(events.Options.Enabled ? [EventsChannel.Name] : []);
        try
        {
            await Task.WhenAll(names.Select(name => grains.GetGrain<IChannelGrain>(name).Wake()));
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, Interval);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake every channel; trying again in {Interval}")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, TimeSpan interval);
}
