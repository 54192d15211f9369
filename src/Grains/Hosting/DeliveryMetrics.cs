using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>
/// The product's counters in Prometheus text at <c>/metrics</c> (prometheus-net, beside the .NET and Orleans metrics
/// it also exports). Each process counts what it does: the API node what it accepted, the silos what their channel
/// grains delivered.
/// </summary>
public sealed class DeliveryMetrics
{
    private static readonly Counter AcceptedRequests = Metrics.CreateCounter(
        "assistance_router_requests_accepted_total", "Requests stored and answered 202.", "topic");
    private static readonly Counter DeliveredDeliveries = Metrics.CreateCounter(
        "assistance_router_deliveries_delivered_total", "Deliveries a channel acknowledged.", "channel");
    private static readonly Counter FailedDeliveries = Metrics.CreateCounter(
        "assistance_router_deliveries_failed_total", "Deliveries that failed for good.", "channel");
    private static readonly Counter RetriedAttempts = Metrics.CreateCounter(
        "assistance_router_deliveries_retried_total", "Attempts that failed and will be retried.", "channel");
    private static readonly Counter RateLimitedAttempts = Metrics.CreateCounter(
        "assistance_router_deliveries_rate_limited_total", "Receiver answers asking to slow down (429 with Retry-After).", "channel");
    private static readonly Histogram Latency = Metrics.CreateHistogram(
        "assistance_router_delivery_latency_seconds", "From acceptance to the channel's acknowledgement.",
        new HistogramConfiguration { LabelNames = ["channel"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 16) });

    /// <summary>The label of topics without a route of their own (the fallback's), so that odd topics cannot grow the metrics.</summary>
    public const string OtherTopic = "other";

    public void Accepted(string topic) => AcceptedRequests.WithLabels(topic).Inc();

    public void Delivered(string channel, TimeSpan sinceAccepted)
    {
        DeliveredDeliveries.WithLabels(channel).Inc();
        Latency.WithLabels(channel).Observe(sinceAccepted.TotalSeconds);
    }

    public void Failed(string channel) => FailedDeliveries.WithLabels(channel).Inc();
    public void Retried(string channel) => RetriedAttempts.WithLabels(channel).Inc();
    public void RateLimited(string channel) => RateLimitedAttempts.WithLabels(channel).Inc();
}

public static class DeliveryMetricsRegistration
{
    public static IServiceCollection AddDeliveryMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<DeliveryMetrics>();
        return services;
    }
}
