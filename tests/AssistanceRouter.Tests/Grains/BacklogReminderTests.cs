using AssistanceRouter.Grains.AssistanceRequests;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Grains;

/// <summary>Requests deep in a backlog are not woken every minute: their reminder first fires when their channel should reach them.</summary>
public sealed class BacklogReminderTests(BacklogClusterFixture fixture) : IClassFixture<BacklogClusterFixture>
{
    [Fact]
    public async Task A_request_behind_a_backlog_is_reminded_when_its_channel_expects_to_reach_it()
    {
        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grains = Enumerable.Range(0, 4).Select(_ => fixture.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid())).ToArray();
        var before = DateTime.UtcNow;
        foreach (var grain in grains)
            await grain.Submit(new NewAssistanceRequest("slow", "waiting", ["slowlane"], null));

        // One send every 100 s: the last of four is at least 200 s away (the first took the only token).
        var last = await reminders.ReadRow(grains[^1].GetGrainId(), "pending-deliveries");
        Assert.NotNull(last);
        Assert.True(last.StartAt.ToUniversalTime() - before >= TimeSpan.FromSeconds(200), $"reminder starts at {last.StartAt:O}");
        Assert.Equal(TimeSpan.FromMinutes(1), last.Period);
        // Still delivered in the end: the delivery stays pending, with its channel.
        Assert.Equal(DeliveryStatus.Pending, (await grains[^1].Get())!.Deliveries.Single().Status);
    }
}
