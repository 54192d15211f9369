using System.Text.RegularExpressions;

namespace AssistanceRouter.Grains.Routing;

public static partial class TopicNames
{
    public const string Rule = "1 to 64 characters: lower-case letters, digits, '-', '_' or '.'";

    /// <summary>Topics are matched case-insensitively: stored lower case.</summary>
    public static string Normalize(string topic) => topic.Trim().ToLowerInvariant();

    public static bool IsValid(string topic) => Pattern().IsMatch(topic);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
