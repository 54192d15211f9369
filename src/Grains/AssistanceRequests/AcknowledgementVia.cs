using System.Text.Json.Serialization;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Where a person took the request from, on the wire as the contract writes it (lower case). Stored values: never renumber.</summary>
public enum AcknowledgementVia
{
    [JsonStringEnumMemberName("api")] Api = 0,
    [JsonStringEnumMemberName("link")] Link = 1,
    [JsonStringEnumMemberName("inbox")] Inbox = 2,
    /// <summary>A button of a Slack app's message (the contract's Slack app mode).</summary>
    [JsonStringEnumMemberName("slack")] Slack = 3,
}
