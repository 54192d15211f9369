using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Hosting;

namespace AssistanceRouter.Grains.Channels;

/// <summary>What a channel counts of its attempts: its own totals since it activated (its view), and the metrics.</summary>
public sealed class ChannelCounters(string channel, DeliveryMetrics metrics)
{
    public long Delivered { get; private set; }

    public long Failed { get; private set; }

    public long Retried { get; private set; }

    public long RateLimited { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Counts one attempt; returns how long the receiver asked the whole channel to wait, when it asked.</summary>
    public TimeSpan? Count(Notice notice, SendResult result, AttemptOutcome outcome)
    {
        if (outcome.Error is not null) LastError = outcome.Error;
        switch (outcome.Result)
        {
            case AttemptResult.Delivered:
                Delivered++;
                metrics.Delivered(channel, outcome.At - notice.PendingSince); // from when it was queued, not from acceptance
                break;
            case AttemptResult.Failed:
                Failed++;
                metrics.Failed(channel);
                break;
            default:
                Retried++;
                metrics.Retried(channel);
                break;
        }
        if (result.Status == SendStatus.Transient && result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            RateLimited++;
            metrics.RateLimited(channel);
            return retryAfter;
        }
        return null;
    }
}
