namespace AssistanceRouter.Api.Inbox;

/// <summary>The first items of a list, and how many it holds in all.</summary>
public sealed record InboxList(InboxItem[] Items, long Total);
