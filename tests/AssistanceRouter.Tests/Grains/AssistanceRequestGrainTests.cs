using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Grains;

/// <summary>
/// A request's lifecycle as channels report attempts and people act. Notices go to Slack, unconfigured in this
/// cluster, so nothing is sent and the test plays the channel's part.
/// </summary>
public sealed class AssistanceRequestGrainTests(RoutingClusterFixture fixture) : IClassFixture<RoutingClusterFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private async Task<(IAssistanceRequestGrain Grain, string Notice)> Submitted(EscalationPolicy? escalation, params string[] channels)
    {
        var id = Guid.NewGuid();
        var grain = fixture.Client.GetGrain<IAssistanceRequestGrain>(id);
        var result = await grain.Submit(new NewAssistanceRequest("sales", "help", channels, null, Escalation: escalation));
        Assert.Equal(SubmissionOutcome.Created, result.Outcome);
        return (grain, id.ToString("N")); // a request's first notice on each channel carries the request's own id
    }

    private Task<(IAssistanceRequestGrain Grain, string Notice)> Submitted(params string[] channels) => Submitted(null, channels);

    private static AttemptOutcome Attempt(AttemptResult result, string? error = null) => new(result, Now, error, null);

    [Fact]
    public async Task Accepted_then_Delivering_then_Delivered_and_a_delivery_clears_the_last_error()
    {
        var (grain, notice) = await Submitted("slack");
        var accepted = (await grain.Get())!;
        Assert.Equal(RequestStatus.Accepted, accepted.Status);
        Assert.Equal(DeliveryStatus.Pending, accepted.Deliveries.Single().Status);

        Assert.True(await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.WillRetry, "HTTP 503")));
        Assert.Equal(RequestStatus.Delivering, (await grain.Get())!.Status);

        Assert.False(await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.Delivered)));
        var delivered = (await grain.Get())!;
        Assert.Equal(RequestStatus.Delivered, delivered.Status);
        Assert.Equal(2, delivered.Deliveries.Single().Attempts);
        Assert.Null(delivered.Deliveries.Single().LastError);
        Assert.Equal("HTTP 503", delivered.Deliveries.Single().RecentAttempts[0].Error);
        Assert.Equal(["accepted", "delivery_failed", "notified"], delivered.History.Select(h => h.Event));
    }

    [Fact]
    public async Task An_attempt_of_a_notice_the_request_no_longer_waits_for_is_not_recorded()
    {
        var (grain, _) = await Submitted("slack");

        Assert.False(await grain.RecordAttempt("slack", "some-other-notice", Attempt(AttemptResult.Delivered)));
        Assert.False(await grain.IsWanted("slack", "some-other-notice"));
        Assert.Equal(RequestStatus.Accepted, (await grain.Get())!.Status);
    }

    [Fact]
    public async Task Delivered_only_when_every_channel_is()
    {
        var (grain, notice) = await Submitted("slack", "email");

        await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.Delivered));
        Assert.Equal(RequestStatus.Delivering, (await grain.Get())!.Status);

        await grain.RecordAttempt("email", notice, Attempt(AttemptResult.Delivered));
        Assert.Equal(RequestStatus.Delivered, (await grain.Get())!.Status);
    }

    [Fact]
    public async Task Failed_when_a_channel_gives_up_then_retry_makes_it_pending_again_under_a_new_notice()
    {
        var (grain, notice) = await Submitted("slack", "email");
        await grain.RecordAttempt("email", notice, Attempt(AttemptResult.Delivered));
        await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.Failed, "HTTP 404: channel_not_found"));

        var failed = (await grain.Get())!;
        Assert.Equal(RequestStatus.Failed, failed.Status);
        Assert.Equal("HTTP 404: channel_not_found", failed.Deliveries.Single(d => d.Channel == "slack").LastError);

        var retry = await grain.Retry();
        Assert.Equal(LifecycleOutcome.Done, retry.Outcome);
        Assert.Equal(DeliveryStatus.Pending, retry.Request!.Deliveries.Single(d => d.Channel == "slack").Status);
        Assert.Equal(DeliveryStatus.Delivered, retry.Request.Deliveries.Single(d => d.Channel == "email").Status);
        Assert.Equal(RequestStatus.Delivering, retry.Request.Status);
        Assert.False(await grain.IsWanted("slack", notice)); // the failed notice is done; the retry is a new one
    }

    [Fact]
    public async Task Retry_with_nothing_failed_is_a_conflict_and_an_unknown_request_is_not_found()
    {
        var (grain, _) = await Submitted("slack");

        Assert.Equal(LifecycleOutcome.Conflict, (await grain.Retry()).Outcome);
        Assert.Equal(LifecycleOutcome.NotFound, (await fixture.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid()).Retry()).Outcome);
    }

    [Fact]
    public async Task Acknowledged_cancels_pending_notices_ignores_later_attempts_and_names_who_has_it()
    {
        var (grain, notice) = await Submitted("slack");

        var acknowledged = await grain.Acknowledge("Alice", AcknowledgementVia.Api);
        Assert.Equal(LifecycleOutcome.Done, acknowledged.Outcome);
        Assert.Equal(RequestStatus.Acknowledged, acknowledged.Request!.Status);
        Assert.Equal("Alice", acknowledged.Request.Acknowledgement!.By);
        Assert.Equal(DeliveryStatus.Cancelled, acknowledged.Request.Deliveries.Single().Status);

        Assert.False(await grain.IsWanted("slack", notice));
        Assert.False(await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.Delivered)));
        Assert.Equal(LifecycleOutcome.Unchanged, (await grain.Acknowledge("Alice", AcknowledgementVia.Inbox)).Outcome);
        var bob = await grain.Acknowledge("Bob", AcknowledgementVia.Api);
        Assert.Equal(LifecycleOutcome.Conflict, bob.Outcome);
        Assert.Contains("Alice", bob.Reason);
    }

    [Fact]
    public async Task Of_two_concurrent_claims_exactly_one_wins()
    {
        for (var round = 0; round < 10; round++)
        {
            var (grain, _) = await Submitted("slack");
            var claims = await Task.WhenAll(grain.Acknowledge("Alice", AcknowledgementVia.Api), grain.Acknowledge("Bob", AcknowledgementVia.Inbox));

            Assert.Single(claims, c => c.Outcome == LifecycleOutcome.Done);
            var loser = Assert.Single(claims, c => c.Outcome == LifecycleOutcome.Conflict);
            var winner = (await grain.Get())!.Acknowledgement!.By;
            Assert.Contains(winner, loser.Reason);
        }
    }

    [Fact]
    public async Task Unacknowledge_opens_it_again_and_resolve_is_terminal()
    {
        var (grain, _) = await Submitted("slack");
        Assert.Equal(LifecycleOutcome.Conflict, (await grain.Unacknowledge("api")).Outcome);

        await grain.Acknowledge("Alice", AcknowledgementVia.Api);
        var given = await grain.Unacknowledge("Dana");
        Assert.Equal(LifecycleOutcome.Done, given.Outcome);
        // Who gave it back is kept, and whose it was: the history (and so each event's data) says both.
        Assert.Equal(("unacknowledged", "Dana", "held by Alice"), (given.Request!.History[^1].Event, given.Request.History[^1].By, given.Request.History[^1].Detail));
        Assert.Null(given.Request!.Acknowledgement);
        Assert.NotEqual(RequestStatus.Acknowledged, given.Request.Status);

        Assert.Equal(LifecycleOutcome.Done, (await grain.Acknowledge("Bob", AcknowledgementVia.Api)).Outcome);
        var resolved = await grain.Resolve("Bob", "refunded");
        Assert.Equal(RequestStatus.Resolved, resolved.Request!.Status);
        Assert.Equal(new ResolutionView("Bob", resolved.Request.Resolution!.At, "refunded"), resolved.Request.Resolution);
        Assert.Equal(LifecycleOutcome.Unchanged, (await grain.Resolve("Carol", null)).Outcome);
        Assert.Equal(LifecycleOutcome.Conflict, (await grain.Acknowledge("Carol", AcknowledgementVia.Api)).Outcome);
        Assert.Equal(LifecycleOutcome.Conflict, (await grain.Unacknowledge("api")).Outcome);
        Assert.Equal(["accepted", "acknowledged", "unacknowledged", "acknowledged", "resolved"], (await grain.Get())!.History.Select(h => h.Event));
    }

    [Fact]
    public async Task The_request_survives_deactivation()
    {
        var (grain, notice) = await Submitted("slack");
        await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.WillRetry, "timeout"));

        await fixture.Cluster.DeactivateAsync(grain);

        var view = (await grain.Get())!;
        Assert.Equal(RequestStatus.Delivering, view.Status);
        Assert.Equal(1, view.Deliveries.Single().Attempts);
    }

    [Fact]
    public async Task The_attempt_list_and_the_history_are_bounded()
    {
        var (grain, notice) = await Submitted("slack");
        for (var i = 0; i < DeliveryState.AttemptsKept + 5; i++)
            await grain.RecordAttempt("slack", notice, Attempt(AttemptResult.WillRetry, $"attempt {i + 1}"));
        for (var i = 0; i < AssistanceRequestState.HistoryLength; i++)
        {
            await grain.Acknowledge($"person {i}", AcknowledgementVia.Api);
            await grain.Unacknowledge("api");
        }

        var view = (await grain.Get())!;
        var delivery = view.Deliveries.Single();
        Assert.Equal(DeliveryState.AttemptsKept + 5, delivery.Attempts);
        Assert.Equal(DeliveryState.AttemptsKept, delivery.RecentAttempts.Length);
        Assert.Equal($"attempt {DeliveryState.AttemptsKept + 5}", delivery.RecentAttempts[^1].Error);
        Assert.Equal(AssistanceRequestState.HistoryLength, view.History.Length);
        Assert.Equal("unacknowledged", view.History[^1].Event);
    }

    [Fact]
    public async Task A_request_holds_no_reminder_its_next_step_waits_in_its_first_channels_schedule_only_while_it_is_coming()
    {
        var services = fixture.Cluster.GetSiloServiceProvider();
        var queues = services.GetRequiredService<IChannelQueueStore>();
        async Task<int> Scheduled(IAssistanceRequestGrain grain) =>
            (await queues.ReadAsync(ChannelSchedule.QueueOf("slack"), null, 100_000)).Count(e => e.Id.StartsWith($"{grain.GetPrimaryKey():N}-", StringComparison.Ordinal));
        var policy = new EscalationPolicy([new EscalationStep(TimeSpan.FromHours(1), ["email"])]);
        var (withSteps, _) = await Submitted(policy, "slack", "email");
        var (without, notice) = await Submitted(EscalationPolicy.None, "slack");

        Assert.Equal(1, await Scheduled(withSteps));
        Assert.Equal(0, await Scheduled(without));
        var view = (await withSteps.Get())!;
        Assert.Equal(0, view.Escalation!.Step);
        Assert.Equal(1, view.Escalation.Steps);
        Assert.Equal(view.CreatedAt + TimeSpan.FromHours(1), view.Escalation.NextAt);

        await withSteps.Acknowledge("Alice", AcknowledgementVia.Api);
        Assert.Equal(0, await Scheduled(withSteps));
        Assert.Null((await withSteps.Get())!.Escalation!.NextAt);

        await withSteps.Unacknowledge();
        Assert.Equal(1, await Scheduled(withSteps));
        await withSteps.Resolve("Alice", null);
        Assert.Equal(0, await Scheduled(withSteps));
        await without.RecordAttempt("slack", notice, Attempt(AttemptResult.Delivered));

        // The whole reminder table: one reminder per channel grain, none per request.
        var reminders = await services.GetRequiredService<IReminderTable>().ReadRows(0, uint.MaxValue);
        var channelType = fixture.Client.GetGrain<IChannelGrain>("slack").GetGrainId().Type;
        Assert.Contains(reminders.Reminders, r => r.GrainId == fixture.Client.GetGrain<IChannelGrain>("slack").GetGrainId());
        Assert.All(reminders.Reminders, r => Assert.Equal(channelType, r.GrainId.Type));
    }

    [Fact]
    public async Task A_stored_request_wrongly_taken_for_a_new_one_is_never_overwritten()
    {
        var (grain, _) = await Submitted("slack");
        var stored = (await grain.Get())!;
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        fixture.Cluster.GetSiloServiceProvider().GetRequiredService<NewRequestIds>().Add(stored.Id);

        // The next activation skips the read, so it sees no record; its first write is create-only and must be refused.
        await Assert.ThrowsAnyAsync<Exception>(() => grain.Submit(new NewAssistanceRequest("sales", "someone else's words", ["slack"], null)));

        var after = (await grain.Get())!;
        Assert.Equal(stored.Description, after.Description);
        Assert.Equal(stored.CreatedAt, after.CreatedAt);
    }
}
