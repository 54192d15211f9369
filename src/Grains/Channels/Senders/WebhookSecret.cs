using System.Text;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// What a valid signing secret is, decided here alone (the events' validator at start, and the webhook and events
/// senders, ask): a <c>whsec_</c> secret is base64 after the prefix, as Standard Webhooks write it; any other is taken
/// as UTF-8 text.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>
    /// The key of <paramref name="secret"/>: null (unsigned) when unset or empty; false when it is not a valid secret
    /// (<see cref="Prefix"/> followed by something that is not base64).
    /// </summary>
    public static bool TryRead(string? secret, out byte[]? key)
    {
        key = null;
        if (string.IsNullOrEmpty(secret)) return true;
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            key = Encoding.UTF8.GetBytes(secret);
            return true;
        }
        var encoded = secret[Prefix.Length..];
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written)) return false;
        key = bytes[..written];
        return true;
    }
}
