namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// What a valid signing secret is, decided here alone (the validators at start, and the webhook and events senders,
/// ask): as Standard Webhooks define it, <c>whsec_</c> followed by the base64 of 24 to 64 random bytes, which are the
/// key. A secret in any other form would be signed with other bytes than every Standard Webhooks library verifies with.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public const int MinBytes = 24;

    public const int MaxBytes = 64;

    /// <summary>The rule, for the one line a node prints when a secret breaks it (never the secret itself).</summary>
    public const string Rule =
        "whsec_ followed by the base64 of 24 to 64 random bytes, as Standard Webhooks write it (for example whsec_ and the output of 'openssl rand -base64 32')";

    /// <summary>
    /// The key of <paramref name="secret"/>: null (unsigned) when unset or empty; false when it is not a valid secret
    /// (see <see cref="Rule"/>).
    /// </summary>
    public static bool TryRead(string? secret, out byte[]? key)
    {
        key = null;
        if (string.IsNullOrEmpty(secret)) return true;
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var encoded = secret[Prefix.Length..];
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written) || written is < MinBytes or > MaxBytes) return false;
        key = bytes[..written];
        return true;
    }
}
