using System.Text.Json;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// How a Slack Web API answer maps to a delivery outcome, as the contract lists it: every answer is HTTP 200 with
/// <c>{"ok": true, …}</c> or <c>{"ok": false, "error"}</c>; an error that no retry can mend fails the delivery at once,
/// Slack's own troubles are retried, and an error this list does not know is retried (shown as the delivery's
/// <c>lastError</c>) until the give-up window ends, so that nothing is lost to a new error code.
/// </summary>
public static class SlackAnswers
{
    /// <summary>The token, the channel or the message itself is wrong: the same call would fail again.</summary>
    private static readonly HashSet<string> FailAtOnce = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope",
        "channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "invalid_blocks", "invalid_blocks_format",
        "no_text", "invalid_arguments", "restricted_action", "message_not_found", "cant_update_message", "edit_window_closed",
    };

    /// <summary>Slack's side is busy or broken for now.</summary>
    private static readonly HashSet<string> Retried = new(StringComparer.Ordinal)
    {
        "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    };

    /// <summary>The outcome of a 2xx answer to <paramref name="method"/>, with the message's <c>channel</c> and <c>ts</c> when it is <c>ok</c>.</summary>
    public static (SendResult Result, string? Channel, string? Ts) Read(string method, string body, TimeSpan? retryAfter)
    {
        string? error;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return (SendResult.Delivered,
                    root.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.String ? channel.GetString() : null,
                    root.TryGetProperty("ts", out var ts) && ts.ValueKind == JsonValueKind.String ? ts.GetString() : null);
            }
            error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return (SendResult.Transient($"Slack's {method} answered 2xx with no JSON: {HttpDelivery.Shorten(body.Trim())}"), null, null);
        }
        var reason = $"Slack's {method} answered ok: false, error {HttpDelivery.Shorten(error ?? "(none)", 80)}";
        if (error is not null && FailAtOnce.Contains(error)) return (SendResult.Permanent(reason), null, null);
        if (error == "ratelimited") return (SendResult.Transient(reason, retryAfter ?? TimeSpan.FromSeconds(1)), null, null);
        return (SendResult.Transient(error is not null && Retried.Contains(error) ? reason : $"{reason} (not a known error: retried)", retryAfter), null, null);
    }
}
