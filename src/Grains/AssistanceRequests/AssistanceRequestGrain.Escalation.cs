using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Events;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Escalation: while nobody has the request, its steps notify their channels again, each woken by the request's one reminder.</summary>
public sealed partial class AssistanceRequestGrain
{
    private const string EscalationReminder = "escalation";

    /// <summary>The reminder this activation registered, so that removing it needs no look-up first.</summary>
    private IGrainReminder? reminder;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EscalationReminder) return;
        if (state.RecordExists && Request.IsOpen && Request.EscalationNextAt is { } due && due <= time.GetUtcNow())
            await Transition(Escalate);
        await ArmEscalation();
    }

    /// <summary>Runs every escalation step that is due: its channels hear (again), and the bot hears it escalated.</summary>
    private async Task Escalate()
    {
        var now = time.GetUtcNow();
        var policy = Request.Escalation;
        while (Request.EscalationNextAt is { } due && due <= now && Request.EscalationStep < policy.TotalSteps)
        {
            var (_, channels) = policy.Step(Request.EscalationStep);
            var restarted = channels.Distinct().ToDictionary(c => c, _ => Request.NextNoticeId(Id));
            var notices = restarted.Select(r =>
            {
                var again = Request.Deliveries.TryGetValue(r.Key, out var earlier) && (earlier.Reached || earlier.Attempts > 0);
                // A reminder answers the request's first message where the channel can address it (a thread reply).
                return (Channel: r.Key, Notice: Request.NewNotice(Id, again ? NoticeKind.StillWaiting : NoticeKind.Request, r.Value, now) with { MessageAddress = Request.MessageAddress(r.Key) });
            }).ToArray();
            // The replaced notices go first: a channel behind on the last step needs to send only the newest.
            await CancelPending(restarted.Keys);
            await Task.WhenAll(notices.Select(n => Queue(n.Channel, n.Notice)));
            foreach (var (channel, noticeId) in restarted)
            {
                if (!Request.Deliveries.TryGetValue(channel, out var delivery)) Request.Deliveries[channel] = delivery = new DeliveryState();
                delivery.Restart(noticeId, now);
            }
            Request.EscalationStep++;
            Request.Record(new HistoryRecord(now, HistoryEvents.Escalated, Detail: $"step {Request.EscalationStep} of {policy.TotalSteps}: {string.Join(", ", restarted.Keys)}"));
            metrics.Escalated(Request.MetricsTopic);
            AddEvent(EventTypes.Escalated, now);
            Request.EscalationNextAt = Request.EscalationStep < policy.TotalSteps ? due + policy.Gap(Request.EscalationStep) : null;
            if (Request.EscalationNextAt is null)
            {
                Request.Record(new HistoryRecord(now, HistoryEvents.Unanswered, Detail: "every escalation step ran and nobody has it yet"));
                AddEvent(EventTypes.Unanswered, now);
            }
        }
        await Save();
        await FinishLeftovers();
        changes.Published(ChangeKind.Escalated, View());
    }

    /// <summary>Holds the one reminder while an escalation step is coming, and none otherwise.</summary>
    private async Task ArmEscalation()
    {
        if (Request.IsOpen && Request.EscalationNextAt is { } next && state.RecordExists)
        {
            var wait = next - time.GetUtcNow();
            reminder = await this.RegisterOrUpdateReminder(EscalationReminder, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, escalationOptions.Value.ReminderPeriod);
            return;
        }
        if ((reminder ?? await this.GetReminder(EscalationReminder)) is { } existing)
            await this.UnregisterReminder(existing);
        reminder = null;
    }

    private async Task CancelPending(IEnumerable<string> channels)
    {
        var pending = channels.Where(c => Request.Deliveries.TryGetValue(c, out var d) && d.Status == DeliveryStatus.Pending)
            .Select(c => new NoticeRef(c, Request.Deliveries[c].NoticeId)).ToArray();
        await Task.WhenAll(pending.Select(p => Channel(p.Channel).Cancel([p.NoticeId])));
    }
}
