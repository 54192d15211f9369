using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Tests.Channels;

/// <summary>What a send's result means for its notice, with the jitter fixed at its ceiling.</summary>
public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
    private static readonly DeliveryOptions Options = new()
    {
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromMinutes(5),
        GiveUpAfter = TimeSpan.FromHours(24),
    };

    private readonly RetryPolicy policy = new(Options, new RetrySchedule(Options.InitialBackoff, Options.MaxBackoff, () => 1.0));

    private static Notice Notice(int attempts = 0) =>
        new($"n", Guid.Empty, NoticeKind.Request, "sales", "help", Start, null, PendingSince: Start, Attempts: attempts);

    [Fact]
    public void Delivered_is_delivered_with_nothing_to_retry() =>
        Assert.Equal(new AttemptOutcome(AttemptResult.Delivered, Start, null, null), policy.Outcome(Notice(), SendResult.Delivered, Start));

    [Fact]
    public void A_permanent_refusal_fails_at_once_with_the_receivers_reason() =>
        Assert.Equal(new AttemptOutcome(AttemptResult.Failed, Start, "HTTP 404: channel_not_found", null),
            policy.Outcome(Notice(), SendResult.Permanent("HTTP 404: channel_not_found"), Start));

    [Fact]
    public void A_transient_failure_is_retried_after_the_backoff_of_its_attempt()
    {
        var now = Start.AddSeconds(30);

        var outcome = policy.Outcome(Notice(attempts: 2), SendResult.Transient("HTTP 503"), now);

        Assert.Equal(new AttemptOutcome(AttemptResult.WillRetry, now, "HTTP 503", now.AddSeconds(4)), outcome);
    }

    [Theory]
    [InlineData(10, 10)] // the receiver asks for longer than the backoff: it is obeyed
    [InlineData(0.5, 1)] // for less: the backoff still holds
    public void Retry_After_is_obeyed_when_it_asks_for_longer_than_the_backoff(double retryAfterSeconds, double waitSeconds)
    {
        var outcome = policy.Outcome(Notice(), SendResult.Transient("HTTP 429", TimeSpan.FromSeconds(retryAfterSeconds)), Start);

        Assert.Equal(Start.AddSeconds(waitSeconds), outcome.NextAttemptAt);
    }

    [Fact]
    public void A_transient_failure_once_the_give_up_window_has_passed_fails_saying_so()
    {
        var outcome = policy.Outcome(Notice(attempts: 40), SendResult.Transient("HTTP 503"), Start + Options.GiveUpAfter);

        Assert.Equal(AttemptResult.Failed, outcome.Result);
        Assert.Equal($"gave up after {Options.GiveUpAfter}: HTTP 503", outcome.Error);
        Assert.Null(outcome.NextAttemptAt);
    }

    [Fact]
    public void An_outcome_its_request_did_not_hear_is_reported_again_after_the_next_backoff() =>
        Assert.Equal(Start.AddSeconds(2), policy.ReportAgainAt(Notice(attempts: 1), Start));
}
