using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// What each kind of notice tells a person, said once: a title, the request in words (its topic and the first words
/// of its description), how long it has waited, and the links a person acts on. Each sender lays it out for its
/// medium: Slack escapes it into blocks, email writes it as lines, a webhook sends it beside its fields, the console
/// logs it. The request id goes where each medium has always carried it, so that a receiver can drop repeats.
/// </summary>
public sealed class NoticeText(OutgoingNotice notice)
{
    /// <summary>Most characters of the description in the one-line preview of a request notice (a notification's text).</summary>
    public const int PreviewLength = 200;

    /// <summary>Most characters of the description that name the request in a notice about it ("taken by …").</summary>
    public const int NamingLength = 80;

    public Guid RequestId => notice.RequestId;

    public NoticeKind Kind => notice.Kind;

    public string Topic => notice.Topic;

    /// <summary>The customer's words, whole; what a reader cannot see (bidi controls, zero-width characters) written out as ⟨U+202E⟩.</summary>
    public string Description => InvisibleCharacters.Reveal(notice.Description);

    /// <summary>How long the customer had waited when this notice was made, in words ("5 min").</summary>
    public string Waited => notice.Waited;

    /// <summary>Whether this notice asks someone to take the request (a new request, or one still waiting): only those carry its links.</summary>
    public bool AsksToTake => Kind is NoticeKind.Request or NoticeKind.StillWaiting;

    /// <summary>The signed "Take it" link, when links are on.</summary>
    public string? TakeUrl => AsksToTake ? notice.TakeUrl : null;

    /// <summary>Where a person joins the customer's conversation, when the bot gave one.</summary>
    public string? ConversationUrl => AsksToTake ? notice.ConversationUrl : null;

    /// <summary>The title of the request itself, which every later notice of it answers (an email thread's subject).</summary>
    public string RequestTitle => $"Assistance request: {Topic}";

    /// <summary>The request's title with its first words: what a list of many (a mailbox) shows to tell requests apart.</summary>
    public string RequestTitleInWords => $"{RequestTitle} — “{FirstWords(Description, NamingLength)}”";

    /// <summary>This notice's own title.</summary>
    public string Title => Kind switch
    {
        NoticeKind.StillWaiting => $"Still waiting ({Waited}): {Topic}",
        NoticeKind.Taken => $"Taken by {By}",
        NoticeKind.Resolved => $"Resolved by {By}",
        NoticeKind.GivenBack => $"Given back by {By}",
        _ => RequestTitle,
    };

    /// <summary>The request in words a person recognises: its topic and the first words of its description.</summary>
    public string InWords => $"{Topic} — “{FirstWords(Description, NamingLength)}”";

    /// <summary>One line that says what happened and names the request: a notification's text, a log line.</summary>
    public string Summary => Kind switch
    {
        NoticeKind.StillWaiting => $"Still waiting ({Waited}) ({Topic}): {FirstWords(Description, PreviewLength)}",
        NoticeKind.Taken => $"Taken by {By}: {InWords} (waited {Waited})",
        NoticeKind.Resolved => $"Resolved by {By}: {InWords} (after {Waited})",
        NoticeKind.GivenBack => $"Given back by {By}, open again: {InWords} (waiting {Waited})",
        _ => $"Assistance request ({Topic}): {FirstWords(Description, PreviewLength)}",
    };

    /// <summary>The first line of a notice read in full (an email): a request's notices go on with the whole description.</summary>
    public string Lead => Kind switch
    {
        NoticeKind.StillWaiting => $"Still waiting after {Waited}: nobody has taken this yet.",
        NoticeKind.Taken or NoticeKind.Resolved or NoticeKind.GivenBack => $"{Summary}.",
        _ => $"A customer needs help with {Topic}.",
    };

    private string By => notice.By ?? "someone";

    /// <summary>
    /// The start of <paramref name="text"/>, at most <paramref name="limit"/> characters with the ellipsis that marks a
    /// cut: after a whole word when that keeps at least half of it, and never inside a surrogate pair. Runs of white
    /// space, line breaks too, read as one space.
    /// </summary>
    public static string FirstWords(string text, int limit)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= limit) return flat;
        var cut = limit - 1;
        var space = flat.LastIndexOf(' ', cut);
        if (space >= limit / 2) cut = space;
        else if (char.IsHighSurrogate(flat[cut - 1])) cut--;
        return flat[..cut] + "…";
    }
}
