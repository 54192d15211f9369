namespace AssistanceRouter.Api.Inbox;

/// <summary>What the inbox shows: the <c>Open</c> queue oldest first, who has what, what was resolved lately.</summary>
public sealed record InboxSnapshot(DateTimeOffset Now, string? Topic, string[] Topics, InboxList Open, InboxList Acknowledged, InboxList Resolved);
