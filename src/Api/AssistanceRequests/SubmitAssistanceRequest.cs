namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>A customer's call for help, as a bot sends it.</summary>
/// <param name="Topic">What the customer needs help with; picks the channels (for example <c>sales</c>).</param>
/// <param name="Description">The customer's words, 1 to 4,000 characters after trimming.</param>
/// <param name="ConversationUrl">Where a person joins the customer's conversation: an absolute http(s) URL without user info, at most 2,048 characters. Every notice shows it.</param>
/// <param name="Metadata">The bot's own keys and values (at most 16; keys 1–40 of <c>[A-Za-z0-9_.-]</c>, values at most 500 characters), echoed in GET and events, never in notices.</param>
public sealed record SubmitAssistanceRequest(string? Topic, string? Description, string? ConversationUrl = null, Dictionary<string, string>? Metadata = null);
