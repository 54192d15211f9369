using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>
/// The product's counters in Prometheus text at <c>/metrics</c> (prometheus-net, beside the process's own metrics).
/// Each process counts what it does: the API node what it accepted, the silos what their channel grains delivered.
/// Every configured topic and channel has its series from the start, at 0 (<see cref="Publish"/>), so that a rate or
/// an alert on them works before the first event.
/// </summary>
public sealed class DeliveryMetrics
{
    /// <summary>From 5 ms (a console or a local webhook) to a day (retries run up to <c>Delivery:GiveUpAfter</c>, 24 h by default).</summary>
    public static readonly double[] LatencyBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400];

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
        "assistance_router_delivery_latency_seconds", "From when a notice was queued to its channel's acknowledgement, retries included.",
        new HistogramConfiguration { LabelNames = ["channel"], Buckets = LatencyBuckets });

    /// <summary>The label of topics without a route of their own (the fallback's), so that odd topics cannot grow the metrics.</summary>
    public const string OtherTopic = "other";

    public void Accepted(string topic) => AcceptedRequests.WithLabels(topic).Inc();

    /// <summary>A notice delivered <paramref name="sinceQueued"/> after it was queued (a "taken" notice: after the acknowledgement).</summary>
    public void Delivered(string channel, TimeSpan sinceQueued)
    {
        DeliveredDeliveries.WithLabels(channel).Inc();
        Latency.WithLabels(channel).Observe(sinceQueued.TotalSeconds);
    }

    public void Failed(string channel) => FailedDeliveries.WithLabels(channel).Inc();
    public void Retried(string channel) => RetriedAttempts.WithLabels(channel).Inc();
    public void RateLimited(string channel) => RateLimitedAttempts.WithLabels(channel).Inc();

    /// <summary>Gives every topic and channel its series (at 0 until something happens); those it already has keep their values.</summary>
    public void Publish(IEnumerable<string> topics, IEnumerable<string> channels)
    {
        foreach (var topic in topics) AcceptedRequests.WithLabels(topic);
        foreach (var channel in channels)
        {
            DeliveredDeliveries.WithLabels(channel);
            FailedDeliveries.WithLabels(channel);
            RetriedAttempts.WithLabels(channel);
            RateLimitedAttempts.WithLabels(channel);
            Latency.WithLabels(channel);
        }
    }
}

public static class DeliveryMetricsRegistration
{
    public static IServiceCollection AddDeliveryMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<DeliveryMetrics>();
        return services;
    }
}
