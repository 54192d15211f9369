using AssistanceRouter.Grains.Changes;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// What <c>/inbox?q=</c> asks for: every word must match, each in any of the request's id (a prefix, with or
/// without dashes), its description, its metadata values (<c>key:value</c> for one key), or who has or resolved it;
/// letters compared without case.
/// </summary>
public sealed class InboxSearch
{
    public const int MaxLength = 200;
    public const int MaxTerms = 8;

    /// <summary>An id prefix shorter than this is too common to mean an id.</summary>
    private const int MinIdPrefix = 4;

    private readonly Term[] terms;

    private InboxSearch(string text, Term[] terms) => (Text, this.terms) = (text, terms);

    /// <summary>The query as given, trimmed and cut to <see cref="MaxLength"/>.</summary>
    public string Text { get; }

    /// <summary>Null when there is nothing to look for.</summary>
    public static InboxSearch? Parse(string? query)
    {
        var text = query?.Trim() ?? "";
        if (text.Length > MaxLength) text = text[..MaxLength];
        var terms = text.Split((char[]?)null, MaxTerms + 1, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(MaxTerms).ToArray();
        return terms.Length == 0 ? null : new InboxSearch(text, [.. terms.Select(Term.Of)]);
    }

    public bool Matches(RequestSummary request)
    {
        foreach (var term in terms)
            if (!Matches(request, term)) return false;
        return true;
    }

    private static bool Matches(RequestSummary request, Term term)
    {
        var text = term.Text;
        if (request.Description.Contains(text, StringComparison.OrdinalIgnoreCase)) return true;
        if (term.IdDigits is { } digits && IsIdPrefix(request.Id, digits)) return true;
        // A dictionary's own enumerator where it is one, not the interface's boxed one: a search walks every request.
        if (request.Metadata is Dictionary<string, string> concrete)
        {
            foreach (var (key, value) in concrete)
                if (InMetadata(key, value, text)) return true;
        }
        else
        {
            foreach (var (key, value) in request.Metadata)
                if (InMetadata(key, value, text)) return true;
        }
        return request.Acknowledgement?.By.Contains(text, StringComparison.OrdinalIgnoreCase) == true
            || request.Resolution?.By.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>In a value; and "customer:4471" in the key <c>customer</c> only.</summary>
    private static bool InMetadata(string key, string value, string text) =>
        value.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (text.Length > key.Length + 1 && text[key.Length] == ':' && text.StartsWith(key, StringComparison.OrdinalIgnoreCase)
            && value.AsSpan().Contains(text.AsSpan(key.Length + 1), StringComparison.OrdinalIgnoreCase));

    private static bool IsIdPrefix(Guid id, string digits)
    {
        Span<char> formatted = stackalloc char[32];
        return id.TryFormat(formatted, out _, "N") && formatted.StartsWith(digits, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A word of the query, and its hex digits when it may be an id's beginning.</summary>
    private sealed record Term(string Text, string? IdDigits)
    {
        public static Term Of(string text)
        {
            var digits = text.Replace("-", "", StringComparison.Ordinal);
            return new(text, digits.Length >= MinIdPrefix && digits.Length <= 32 && digits.All(char.IsAsciiHexDigit) ? digits : null);
        }
    }
}
