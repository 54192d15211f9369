using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AssistanceRouter.Api.Slack;

/// <summary>
/// Slack's request signing, exactly as "Verifying requests from Slack" documents it: the base string
/// <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>, HMAC-SHA256 with the app's signing secret, in lower-case hex
/// after <c>v0=</c>, compared with <c>X-Slack-Signature</c> in constant time; a timestamp more than five minutes
/// from now is refused whatever its signature, so that a captured request cannot be played later.
/// </summary>
public static class SlackSignature
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="body"/> at <paramref name="timestamp"/> with any of <paramref name="secrets"/>, within <see cref="MaxAge"/> of <paramref name="now"/>.</summary>
    public static bool IsValid(string? timestamp, string? signature, ReadOnlySpan<byte> body, IEnumerable<string> secrets, DateTimeOffset now)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxAge) return false;
        var given = Encoding.ASCII.GetBytes(signature);
        var valid = false;
        foreach (var secret in secrets)
            valid |= CryptographicOperations.FixedTimeEquals(Sign(secret, timestamp, body), given); // every secret tried: no timing tells which
        return valid;
    }

    /// <summary><c>v0=</c> and the hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>, as ASCII bytes.</summary>
    public static byte[] Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(mac));
    }
}
