namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// A Slack message's address as a delivery stores it (<see cref="SendResult.Address"/>): the <c>channel</c> and
/// <c>ts</c> that <c>chat.postMessage</c> answered, which <c>chat.update</c> and <c>thread_ts</c> take from then on.
/// </summary>
public sealed record SlackMessageAddress(string Channel, string Ts)
{
    public override string ToString() => $"{Channel}/{Ts}";

    /// <summary>The address a delivery stored, or null for none (or one another kind wrote).</summary>
    public static SlackMessageAddress? Parse(string? stored) =>
        stored?.Split('/') is [{ Length: > 0 } channel, { Length: > 0 } ts] ? new(channel, ts) : null;
}
