using Prometheus;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>How fast people take requests, and how often nobody did in time: per topic (known topics only, else <c>other</c>).</summary>
public sealed class RequestMetrics
{
    private static readonly Histogram TimeToAcknowledge = Metrics.CreateHistogram(
        "assistance_router_time_to_acknowledge_seconds", "From acceptance to a person taking the request.",
        new HistogramConfiguration { LabelNames = ["topic"], Buckets = Histogram.ExponentialBuckets(1, 2, 16) });
    private static readonly Counter Escalations = Metrics.CreateCounter(
        "assistance_router_escalations_total", "Escalation steps run because nobody had taken the request yet.", "topic");

    public void Acknowledged(string topic, TimeSpan sinceAccepted) => TimeToAcknowledge.WithLabels(topic).Observe(sinceAccepted.TotalSeconds);

    public void Escalated(string topic) => Escalations.WithLabels(topic).Inc();

    /// <summary>Gives every topic its series (at 0 until something happens), as <see cref="Hosting.DeliveryMetrics.Publish"/> does.</summary>
    public void Publish(IEnumerable<string> topics)
    {
        foreach (var topic in topics)
        {
            TimeToAcknowledge.WithLabels(topic);
            Escalations.WithLabels(topic);
        }
    }
}
