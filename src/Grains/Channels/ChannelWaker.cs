using AssistanceRouter.Grains.Events;
using Microsoft.Extensions.Hosting;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Wakes every channel when this silo starts and every <see cref="Interval"/> after: a channel grain loads its stored
/// queue when it activates, and nothing else would activate it after a restart or after the silo holding it died.
/// </summary>
public sealed class ChannelWaker(IGrainFactory grains, ChannelCatalog catalog, EventsChannel events, TimeProvider time, ILogger<ChannelWaker> logger)
    : BackgroundService, IStartupTask
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Runs once the silo is active, so that the first wake comes at once rather than an interval later.</summary>
    public Task Execute(CancellationToken cancellationToken) => WakeAll();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

    private async Task WakeAll()
    {
        var names = catalog.Names.Concat(events.Options.Enabled ? [EventsChannel.Name] : []);
        try
        {
            await Task.WhenAll(names.Select(name => grains.GetGrain<IChannelGrain>(name).Wake()));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not wake every channel; trying again in {Interval}", Interval);
        }
    }
}
