namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>The <c>Notices</c> section: whether the channels a request reached hear who took it and who resolved it.</summary>
public sealed class NoticesOptions
{
    public const string Section = "Notices";

    public bool Acknowledged { get; set; } = true;

    public bool Resolved { get; set; } = true;
}
