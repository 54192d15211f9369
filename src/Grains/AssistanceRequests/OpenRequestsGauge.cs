using AssistanceRouter.Grains.Routing;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// <c>assistance_router_open_requests{topic}</c>: how many requests nobody has taken yet, read from the <c>Open</c>
/// list when metrics are scraped (the list is the cluster's, so every silo reports the same numbers). Topics
/// without a route of their own count as <c>other</c>.
/// </summary>
public sealed partial class OpenRequestsGauge(IRequestIndex index, IGrainFactory grains, ILogger<OpenRequestsGauge> logger) : IHostedService
{
    private static readonly Gauge Open = Metrics.CreateGauge(
        "assistance_router_open_requests", "Requests nobody has taken yet (the Open queue).", "topic");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(Update);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task Update(CancellationToken cancellationToken)
    {
        try
        {
            var topics = (await grains.GetGrain<ITopicRouterGrain>(0).GetSnapshot()).Routes.Select(r => r.Topic).ToArray();
            var counts = await Task.WhenAll(topics.Select(t => index.CountAsync(RequestLists.Open, t)));
            var total = await index.CountAsync(RequestLists.Open, null);
            foreach (var (topic, count) in topics.Zip(counts)) Open.WithLabels(topic).Set(count);
            Open.WithLabels(Hosting.DeliveryMetrics.OtherTopic).Set(Math.Max(0, total - counts.Sum()));
        }
        catch (Exception ex)
        {
            LogCountFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count open requests for the metrics")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
