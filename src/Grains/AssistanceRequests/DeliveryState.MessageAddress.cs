namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The address of the request's message on this channel, for chat kinds whose receiver names what it posted (a Slack
/// app answers <c>channel</c> and <c>ts</c>). Any kind may use it: the grain stores it opaquely and hands it to later
/// notices, whose sender decides what it means (a thread reply, an update in place). Stored with the delivery, so
/// that a retry or a restart still answers the same message.
/// </summary>
public sealed partial class DeliveryState
{
    /// <summary>Set by the first delivered notice whose receiver named its message; never replaced (thread replies name their own).</summary>
    [Id(9)] public string? MessageAddress { get; set; }
}
