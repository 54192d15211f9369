using AssistanceRouter.Grains.AssistanceRequests;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Grains;

/// <summary>
/// The request's status as channels report attempts. Deliveries go to Slack, unconfigured in this cluster,
/// so nothing is sent and the test plays the channel's part.
/// </summary>
public sealed class AssistanceRequestGrainTests(RoutingClusterFixture fixture) : IClassFixture<RoutingClusterFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private async Task<IAssistanceRequestGrain> Submitted(params string[] channels)
    {
        var grain = fixture.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var result = await grain.Submit(new NewAssistanceRequest("sales", "help", channels, null));
        Assert.Equal(SubmissionOutcome.Created, result.Outcome);
        return grain;
    }

    private static AttemptOutcome Attempt(AttemptResult result, string? error = null) => new(result, Now, error, null);

    [Fact]
    public async Task Accepted_then_Delivering_then_Delivered()
    {
        var grain = await Submitted("slack");
        var accepted = (await grain.Get())!;
        Assert.Equal(RequestStatus.Accepted, accepted.Status);
        Assert.Equal(DeliveryStatus.Pending, accepted.Deliveries.Single().Status);

        Assert.True(await grain.RecordAttempt("slack", Attempt(AttemptResult.WillRetry, "HTTP 503")));
        Assert.Equal(RequestStatus.Delivering, (await grain.Get())!.Status);

        Assert.False(await grain.RecordAttempt("slack", Attempt(AttemptResult.Delivered)));
        var delivered = (await grain.Get())!;
        Assert.Equal(RequestStatus.Delivered, delivered.Status);
        Assert.Equal(2, delivered.Deliveries.Single().Attempts);
        Assert.Equal("HTTP 503", delivered.Deliveries.Single().LastError);
    }

    [Fact]
    public async Task Delivered_only_when_every_channel_is()
    {
        var grain = await Submitted("slack", "email");

        await grain.RecordAttempt("slack", Attempt(AttemptResult.Delivered));
        Assert.Equal(RequestStatus.Delivering, (await grain.Get())!.Status);

        await grain.RecordAttempt("email", Attempt(AttemptResult.Delivered));
        Assert.Equal(RequestStatus.Delivered, (await grain.Get())!.Status);
    }

    [Fact]
    public async Task Failed_when_a_channel_gives_up_then_retry_makes_it_pending_again()
    {
        var grain = await Submitted("slack", "email");
        await grain.RecordAttempt("email", Attempt(AttemptResult.Delivered));
        await grain.RecordAttempt("slack", Attempt(AttemptResult.Failed, "HTTP 404: channel_not_found"));

        var failed = (await grain.Get())!;
        Assert.Equal(RequestStatus.Failed, failed.Status);
        Assert.Equal("HTTP 404: channel_not_found", failed.Deliveries.Single(d => d.Channel == "slack").LastError);

        var retry = await grain.Retry();
        Assert.Equal(RetryOutcome.Retrying, retry.Outcome);
        Assert.Equal(DeliveryStatus.Pending, retry.Request!.Deliveries.Single(d => d.Channel == "slack").Status);
        Assert.Equal(DeliveryStatus.Delivered, retry.Request.Deliveries.Single(d => d.Channel == "email").Status);
        Assert.Equal(RequestStatus.Delivering, retry.Request.Status);
    }

    [Fact]
    public async Task Retry_with_nothing_failed_changes_nothing()
    {
        var grain = await Submitted("slack");

        Assert.Equal(RetryOutcome.NothingToRetry, (await grain.Retry()).Outcome);
        Assert.Equal(RetryOutcome.NotFound, (await fixture.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid()).Retry()).Outcome);
    }

    [Fact]
    public async Task Acknowledged_cancels_pending_deliveries_and_ignores_later_attempts()
    {
        var grain = await Submitted("slack");

        var acknowledged = (await grain.Acknowledge())!;
        Assert.Equal(RequestStatus.Acknowledged, acknowledged.Status);
        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.Equal(DeliveryStatus.Cancelled, acknowledged.Deliveries.Single().Status);

        Assert.False(await grain.RecordAttempt("slack", Attempt(AttemptResult.Delivered)));
        Assert.Equal(RequestStatus.Acknowledged, (await grain.Get())!.Status);
    }

    [Fact]
    public async Task The_request_survives_deactivation()
    {
        var grain = await Submitted("slack");
        await grain.RecordAttempt("slack", Attempt(AttemptResult.WillRetry, "timeout"));

        await fixture.Cluster.DeactivateAsync(grain);

        var view = (await grain.Get())!;
        Assert.Equal(RequestStatus.Delivering, view.Status);
        Assert.Equal(1, view.Deliveries.Single().Attempts);
    }

    [Fact]
    public async Task The_attempt_history_is_bounded()
    {
        var grain = await Submitted("slack");
        for (var i = 0; i < DeliveryState.HistoryLength + 5; i++)
            await grain.RecordAttempt("slack", Attempt(AttemptResult.WillRetry, $"attempt {i + 1}"));

        var delivery = (await grain.Get())!.Deliveries.Single();
        Assert.Equal(DeliveryState.HistoryLength + 5, delivery.Attempts);
        Assert.Equal(DeliveryState.HistoryLength, delivery.RecentAttempts.Length);
        Assert.Equal($"attempt {DeliveryState.HistoryLength + 5}", delivery.RecentAttempts[^1].Error);
    }

    [Fact]
    public async Task The_reminder_lives_while_a_delivery_is_pending_and_goes_when_none_is()
    {
        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grain = await Submitted("slack");

        Assert.Single((await reminders.ReadRows(grain.GetGrainId())).Reminders);

        await grain.RecordAttempt("slack", Attempt(AttemptResult.Delivered));
        Assert.Empty((await reminders.ReadRows(grain.GetGrainId())).Reminders);
    }
}
