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

    private readonly string[] terms;

    private InboxSearch(string text, string[] terms) => (Text, this.terms) = (text, terms);

    /// <summary>The query as given, trimmed and cut to <see cref="MaxLength"/>.</summary>
    public string Text { get; }

    /// <summary>Null when there is nothing to look for.</summary>
    public static InboxSearch? Parse(string? query)
    {
        var text = query?.Trim() ?? "";
        if (text.Length > MaxLength) text = text[..MaxLength];
        var terms = text.Split((char[]?)null, MaxTerms + 1, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(MaxTerms).ToArray();
        return terms.Length == 0 ? null : new InboxSearch(text, terms);
    }

    public bool Matches(RequestSummary request)
    {
        foreach (var term in terms)
            if (!Matches(request, term)) return false;
        return true;
    }

    private static bool Matches(RequestSummary request, string term)
    {
        if (request.Description.Contains(term, StringComparison.OrdinalIgnoreCase)) return true;
        if (IsIdPrefix(request.Id, term)) return true;
        foreach (var (key, value) in request.Metadata)
        {
            if (value.Contains(term, StringComparison.OrdinalIgnoreCase)) return true;
            // "customer:4471" looks in that key only.
            if (term.Length > key.Length + 1 && term[key.Length] == ':' && term.StartsWith(key, StringComparison.OrdinalIgnoreCase)
                && value.AsSpan().Contains(term.AsSpan(key.Length + 1), StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return request.Acknowledgement?.By.Contains(term, StringComparison.OrdinalIgnoreCase) == true
            || request.Resolution?.By.Contains(term, StringComparison.OrdinalIgnoreCase) == true;
    }

    private static bool IsIdPrefix(Guid id, string term)
    {
        var digits = term.Replace("-", "", StringComparison.Ordinal);
        return digits.Length >= MinIdPrefix && digits.Length <= 32 && digits.All(char.IsAsciiHexDigit)
            && id.ToString("N").StartsWith(digits, StringComparison.OrdinalIgnoreCase);
    }
}
