namespace AssistanceRouter.Grains.Escalation;

/// <summary>The default policy, for topics that have none of their own: the topic's channels again, every so often.</summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    /// <summary>How long after acceptance (and after each reminder) the topic's channels hear again; zero turns it off.</summary>
    public TimeSpan RenotifyAfter { get; set; } = TimeSpan.FromMinutes(15);

    public int MaxRenotify { get; set; } = 3;

    /// <summary>
    /// How often an escalation reminder fires again if a tick was missed (the cluster was down when a step was due):
    /// the most a crash can delay a step. Orleans' usual minimum reminder period is a minute; shorter is allowed.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The default policy for a topic routed to <paramref name="channels"/>.</summary>
    public EscalationPolicy DefaultFor(string[] channels) => RenotifyAfter <= TimeSpan.Zero || MaxRenotify == 0
        ? EscalationPolicy.None
        : new EscalationPolicy([new EscalationStep(RenotifyAfter, channels)], MaxRenotify - 1);
}
