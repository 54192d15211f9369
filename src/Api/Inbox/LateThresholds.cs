namespace AssistanceRouter.Api.Inbox;

/// <summary>How long an open request may wait before its age turns amber, then red.</summary>
public sealed class LateThresholds
{
    public static readonly TimeSpan DefaultAmber = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultRed = TimeSpan.FromMinutes(15);

    public TimeSpan Amber { get; set; } = DefaultAmber;
    public TimeSpan Red { get; set; } = DefaultRed;
}
