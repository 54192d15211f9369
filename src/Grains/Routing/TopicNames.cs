using System.Text.RegularExpressions;

namespace AssistanceRouter.Grains.Routing;

/// <summary>
/// What a topic name may be, and the one way names are compared. Only ASCII letters are lower-cased: a culture's or
/// Unicode's case folding would make the Kelvin sign (U+212A) the letter <c>k</c>, so that "\u212Aelvin" would post to
/// the <c>kelvin</c> route; instead any character outside the rule makes the name invalid.
/// </summary>
public static partial class TopicNames
{
    public const int MaxLength = 64;

    public const string Rule = "1 to 64 characters: letters a-z, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>Topics are matched case-insensitively (ASCII only): stored lower case.</summary>
    public static string Normalize(string topic)
    {
        var trimmed = topic.Trim();
        return trimmed.Any(char.IsAsciiLetterUpper)
            ? string.Create(trimmed.Length, trimmed, static (span, text) =>
            {
                for (var i = 0; i < text.Length; i++) span[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
            })
            : trimmed;
    }

    public static bool IsValid(string topic) => Pattern().IsMatch(topic);

    /// <summary>A name as an error message may echo it: never more than the longest valid name.</summary>
    public static string Shorten(string topic) => topic.Length <= MaxLength ? topic : topic[..MaxLength] + "…";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
