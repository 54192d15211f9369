using AssistanceRouter.Grains.Channels;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// Where each channel keeps this request's message, for chat kinds whose receiver names what it posted (a Slack app
/// answers <c>channel</c> and <c>ts</c>). Any kind may use it: the grain stores the address opaquely, with the
/// request, and hands it to the request's later notices on that channel, whose sender decides what it means (a thread
/// reply, an update in place). Stored, so that a retry or a restart still answers the same message.
/// </summary>
/// <remarks>
/// Default members are not written: a state without addresses is byte for byte what earlier versions wrote (every
/// member of a stored sample is set; see StoredShapesTests), and earlier versions skip the field they do not know.
/// </remarks>
[OmitDefaultMemberValues]
public sealed partial class AssistanceRequestState
{
    /// <summary>By channel; null until a receiver names a message. Id 40, apart from the run of ids above, to stay clear of them.</summary>
    [Id(40)] public Dictionary<string, string>? MessageAddresses { get; set; }

    public string? MessageAddress(string channel) => MessageAddresses?.GetValueOrDefault(channel);

    /// <summary>Keeps the address of the first delivered notice that named one; thread replies name their own and never replace it.</summary>
    public void KeepMessageAddress(string channel, AttemptOutcome outcome)
    {
        if (outcome.Result != AttemptResult.Delivered || outcome.Address is not { } address) return;
        (MessageAddresses ??= new(StringComparer.Ordinal)).TryAdd(channel, address);
    }

    /// <summary>
    /// <paramref name="kind"/> for every channel holding an address of this request's message: such a message shows the
    /// request's state (who has it, its buttons), so it must hear a change that other channels, whose posts cannot
    /// change, need not (a give-back is followed by the next escalation reminder there).
    /// </summary>
    public OutboxItem[] AddressedNotices(Guid requestId, NoticeKind kind, string by, DateTimeOffset now) =>
        [.. (MessageAddresses ?? []).Select(a => new OutboxItem(a.Key, NewNotice(requestId, kind, NextNoticeId(requestId), now) with { By = by, MessageAddress = a.Value }))];
}
