namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// What the inbox shows: the <c>Open</c> queue oldest first, who has what, what was resolved lately (matching
/// <see cref="Query"/> when searching); each topic with its counts; when a waiting request turns amber and red.
/// </summary>
public sealed record InboxSnapshot(
    DateTimeOffset Now, string? Topic, string? Query, TopicCount[] Topics, LateAfter Late, IReadOnlyDictionary<string, LateAfter> LateByTopic,
    InboxList Open, InboxList Acknowledged, InboxList Resolved);

/// <summary>Seconds of waiting after which a request is late (amber), then very late (red).</summary>
public sealed record LateAfter(double Amber, double Red)
{
    public static LateAfter From(LateThresholds late) => new(late.Amber.TotalSeconds, late.Red.TotalSeconds);
}
