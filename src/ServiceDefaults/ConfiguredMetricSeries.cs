using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// Before each scrape, every routed topic (and <c>other</c>) and every channel of the routing table gets its series,
/// at 0 until something happens: a counter that appeared only with its first event made <c>rate()</c> and alerts
/// blind to that first event. Read from this node's copy of the table, so a scrape calls no grain.
/// </summary>
public sealed partial class ConfiguredMetricSeries(RoutingTableCache routes, IServiceProvider services, ILogger<ConfiguredMetricSeries> logger) : IHostedService
{
    private volatile bool stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The registry is the process's; a callback outlives its host (tests run many), so a stopped one does nothing.
        Metrics.DefaultRegistry.AddBeforeCollectCallback(PublishAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopped = true;
        return Task.CompletedTask;
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (stopped) return;
        try
        {
            var table = await routes.GetAsync();
            string[] topics = [.. table.Routes.Select(r => r.Topic), DeliveryMetrics.OtherTopic];
            services.GetService<DeliveryMetrics>()?.Publish(topics, table.Channels);
            services.GetService<RequestMetrics>()?.Publish(topics);
        }
        catch (Exception ex)
        {
            LogNotPublished(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the routing table to publish every topic's and channel's metrics")]
    private static partial void LogNotPublished(ILogger logger, Exception exception);
}
