namespace AssistanceRouter.Api.Inbox;

/// <summary>A topic of the filter, with how many of its requests are open and taken (among those searched, when searching).</summary>
public sealed record TopicCount(string Topic, int Open, int Taken);
