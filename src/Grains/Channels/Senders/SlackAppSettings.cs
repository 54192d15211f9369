using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// A Slack-kind channel in app mode: a bot token (<c>xoxb-…</c>) that posts with the Web API, the channel it posts to,
/// and the signing secret that <c>POST /slack/interactions</c> checks button presses with. Any of the three set makes
/// the channel an app, which then needs all three; the incoming webhook stays the default when none is set.
/// </summary>
public sealed record SlackAppSettings(string BotToken, string ChannelId, string SigningSecret, Uri ApiBaseUrl)
{
    public const string BotTokenKey = "BotToken";
    public const string ChannelIdKey = "ChannelId";
    public const string SigningSecretKey = "SigningSecret";
    public const string ApiBaseUrlKey = "ApiBaseUrl";

    /// <summary>Slack's Web API; a test or an Enterprise Grid proxy sets another.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://slack.com/api/");

    /// <summary>Whether the section asks for app mode: any of its three settings is set.</summary>
    public static bool IsApp(IConfigurationSection section) =>
        new[] { BotTokenKey, ChannelIdKey, SigningSecretKey }.Any(key => !string.IsNullOrWhiteSpace(section[key]));

    /// <summary>The app's settings, or null when the section does not ask for app mode or <see cref="Problems"/> finds any.</summary>
    public static SlackAppSettings? Read(IConfigurationSection section)
    {
        if (!IsApp(section) || Problems(section, "").Any()) return null;
        return new SlackAppSettings(section[BotTokenKey]!.Trim(), section[ChannelIdKey]!.Trim(), section[SigningSecretKey]!.Trim(), BaseUrl(section[ApiBaseUrlKey])!);
    }

    /// <summary>
    /// What is wrong with an app-mode section, one line each naming the key (<paramref name="prefix"/> is the section's
    /// path); never a value, which may be a secret. Nothing when the section does not ask for app mode.
    /// </summary>
    public static IEnumerable<string> Problems(IConfigurationSection section, string prefix)
    {
        if (!IsApp(section)) yield break;
        var missing = new[] { BotTokenKey, ChannelIdKey, SigningSecretKey }.Where(key => string.IsNullOrWhiteSpace(section[key])).ToArray();
        if (missing.Length > 0)
            yield return $"{prefix}:{string.Join(" and ", missing)} must be set too: a Slack app needs {BotTokenKey}, {ChannelIdKey} and {SigningSecretKey} (docs/slack.md).";
        if (section[BotTokenKey] is { Length: > 0 } token && !token.Trim().StartsWith("xoxb-", StringComparison.Ordinal))
            yield return $"{prefix}:{BotTokenKey} must be a bot token (it starts with xoxb-; the app's OAuth & Permissions page shows it).";
        if (section[ChannelIdKey] is { Length: > 0 } channel && !IsChannelId(channel.Trim()))
            yield return $"{prefix}:{ChannelIdKey} must be a Slack channel id (such as C0123456789, from the channel's details), not a name.";
        if (section[ApiBaseUrlKey] is { Length: > 0 } && BaseUrl(section[ApiBaseUrlKey]) is null)
            yield return $"{prefix}:{ApiBaseUrlKey} must be an absolute http(s) URL (default {DefaultApiBaseUrl}).";
    }

    /// <summary>Where the Web API's methods are: the setting with a trailing slash, so that method names resolve under it.</summary>
    private static Uri? BaseUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultApiBaseUrl;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)) return null;
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>Slack's conversation ids: C (public), G (private), D (direct) and upper-case letters and digits.</summary>
    private static bool IsChannelId(string id) =>
        id.Length is >= 9 and <= 24 && id[0] is 'C' or 'G' or 'D' && id.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    /// <summary>Never the token or the secret: a record's generated text would print them.</summary>
    public override string ToString() => $"Slack app posting to {ChannelId} through {ApiBaseUrl.Host}";
}
