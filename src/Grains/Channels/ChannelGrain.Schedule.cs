using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Hosting;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// The channel's schedule (<see cref="ChannelSchedule"/>): escalation steps of requests, due later, a window of them in
/// memory as for the queue. When one falls due the channel asks its request (<see cref="IAssistanceRequestGrain.StepDue"/>),
/// which runs the step: it queues the step's notices like any notice (they wait their turn on their channels) and takes
/// the entry off the schedule in the same write. A step fires on time whatever the channel's own queue holds, and
/// whether or not the channel can send (paused, unconfigured): its notices may be for other channels. The channel's one
/// reminder brings it back after a crash or a silo's death, and its timer fires the steps while it is active.
/// </summary>
public sealed partial class ChannelGrain : IRemindable
{
    /// <summary>The channel's one reminder: it re-activates the channel (which then loads its queue and schedule) should nothing else.</summary>
    public const string BackstopReminder = "backstop";

    /// <summary>Requests asked at once to run their due steps: a backlog of steps (after an outage) goes in waves, not all at once.</summary>
    private const int StepsAtOnce = 32;

    private readonly HashSet<string> firing = [];
    private NoticeWindow steps = null!;
    private bool holdsReminder;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        SchedulePump(); // activating was the point: the queue and the schedule are loaded, their timer armed
        return Task.CompletedTask;
    }

    private NoticeWindow OpenSchedule() =>
        new(store, ChannelSchedule.QueueOf(Name), payload => serializer.Deserialize<Notice>(payload)!, firing.Contains, time, PageSize);

    /// <summary>Registers the channel's reminder unless it has one; the reminder service may not be ready yet at a silo's start.</summary>
    private async Task HoldReminder()
    {
        try
        {
            if (await this.GetReminder(BackstopReminder) is null)
                await this.RegisterOrUpdateReminder(BackstopReminder, reminderPeriod, reminderPeriod);
            holdsReminder = true;
        }
        catch (Exception ex)
        {
            LogReminderFailed(logger, ex, Name); // the next wake (every silo's waker calls every channel) tries again
        }
    }

    /// <summary>When the schedule next needs the pump: its first step's due time, or its next page.</summary>
    private DateTimeOffset? NextStepAt(DateTimeOffset now)
    {
        if (firing.Count >= StepsAtOnce) return null; // a step's end arms the pump again
        if (steps.FirstDue is { } due) return due;
        if (!steps.EverythingLoaded) return steps.IsLoading ? now + NoticeWindow.ReadRetryDelay : steps.NextLoadAt;
        return null;
    }

    private async Task FireDueSteps(DateTimeOffset now)
    {
        while (firing.Count < StepsAtOnce && steps.FirstDue is { } due && due <= now)
        {
            var entry = steps.TakeFirst();
            firing.Add(entry.Stored.Id);
            _ = Fire(entry);
        }
        if (steps.Count < PageSize / 4 && !steps.EverythingLoaded) await Load(steps);
    }

    private async Task Fire(HeldNotice entry)
    {
        var id = entry.Stored.Id;
        try
        {
            // True: the request ran its due steps and took this entry off the schedule in the same write.
            if (!await GrainFactory.Reference<IAssistanceRequestGrain>(entry.Notice.RequestId).StepDue(Name, id))
                await store.RemoveAsync(ChannelSchedule.QueueOf(Name), [id]); // nobody waits for it any more
            steps.MarkRemoved(id);
            firing.Remove(id);
        }
        catch (Exception ex)
        {
            // Still stored as it was: asked again after a backoff (in memory; a new activation finds it overdue and asks at once).
            LogStepFailed(logger, ex, entry.Notice.RequestId, Name);
            firing.Remove(id);
            var again = entry.Notice with { Attempts = entry.Notice.Attempts + 1 };
            steps.Place(new HeldNotice(entry.Stored with { Due = Millis(retryPolicy.ReportAgainAt(entry.Notice, time.GetUtcNow())) }, again, entry.Recovered));
        }
        finally
        {
            SchedulePump();
        }
    }
}
