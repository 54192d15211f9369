using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// What a send's result means for its notice: delivered, failed for good, or tried again when (the backoff of
/// <see cref="RetrySchedule"/>, or the receiver's <c>Retry-After</c> when it asks for longer), until
/// <see cref="DeliveryOptions.GiveUpAfter"/> from the start of the notice's give-up window.
/// </summary>
public sealed class RetryPolicy(DeliveryOptions options, RetrySchedule schedule)
{
    public RetryPolicy(DeliveryOptions options) : this(options, new RetrySchedule(options)) { }

    public AttemptOutcome Outcome(Notice notice, SendResult result, DateTimeOffset now)
    {
        switch (result.Status)
        {
            case SendStatus.Delivered:
                return new AttemptOutcome(AttemptResult.Delivered, now, null, null, result.Address);
            case SendStatus.Permanent:
                return new AttemptOutcome(AttemptResult.Failed, now, result.Error, null);
        }
        if (now - notice.PendingSince >= options.GiveUpAfter)
            return new AttemptOutcome(AttemptResult.Failed, now, $"gave up after {options.GiveUpAfter}: {result.Error}", null);
        var backoff = schedule.Delay(notice.Attempts + 1);
        var wait = result.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        return new AttemptOutcome(AttemptResult.WillRetry, now, result.Error, now + wait);
    }

    /// <summary>When a notice whose request could not hear its outcome is tried again: to report it, not to send it again.</summary>
    public DateTimeOffset ReportAgainAt(Notice notice, DateTimeOffset now) => now + schedule.Delay(notice.Attempts + 1);
}
