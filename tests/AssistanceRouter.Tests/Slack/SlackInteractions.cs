using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AssistanceRouter.Tests.Slack;

/// <summary>
/// Button presses as Slack's servers send them ("Handling user interaction", block_actions): a form with one field
/// <c>payload</c>, signed as "Verifying requests from Slack" says. The signing is written here again from Slack's
/// page, not taken from the product, so that a mistake in one is not hidden by the same mistake in the other.
/// </summary>
public static class SlackInteractions
{
    /// <summary>A block_actions payload for a press of <paramref name="action"/> on <paramref name="requestId"/>'s message.</summary>
    public static JsonObject Payload(string action, Guid requestId, string user, Uri responseUrl, string messageTs = "1700000000.000101") => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = "U" + user.ToUpperInvariant(), ["username"] = user, ["name"] = user, ["team_id"] = "T0STANDIN" },
        ["api_app_id"] = "A0STANDIN",
        ["token"] = "legacy-verification-token",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = SlackWebApi.ChannelId, ["is_ephemeral"] = false },
        ["trigger_id"] = "123.456.abc",
        ["team"] = new JsonObject { ["id"] = "T0STANDIN", ["domain"] = "standin" },
        ["channel"] = new JsonObject { ["id"] = SlackWebApi.ChannelId, ["name"] = "help" },
        ["message"] = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["text"] = "Assistance request" },
        ["response_url"] = responseUrl.ToString(),
        ["actions"] = new JsonArray
        {
            new JsonObject
            {
                ["action_id"] = action, ["block_id"] = "request", ["type"] = "button", ["value"] = requestId.ToString(),
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = action }, ["action_ts"] = "1700000001.000200",
            },
        },
    };

    /// <summary>The form body Slack posts: <c>payload=</c> and the JSON, URL-encoded.</summary>
    public static string Form(JsonObject payload) => "payload=" + Uri.EscapeDataString(payload.ToJsonString());

    /// <summary><c>v0=</c> + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).</summary>
    public static string Signature(string secret, string timestamp, string body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "v0=" + string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>A request as Slack sends it, signed with <paramref name="secret"/> at <paramref name="at"/> (now by default); null leaves a header out.</summary>
    public static HttpRequestMessage Signed(string body, string? secret = SlackAppFixture.SigningSecret, DateTimeOffset? at = null, string contentType = "application/x-www-form-urlencoded")
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/interactions") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        if (secret is not null) request.Headers.Add("X-Slack-Signature", Signature(secret, timestamp, body));
        request.Headers.UserAgent.ParseAdd("Slackbot 1.0 (+https://api.slack.com/robots)");
        return request;
    }

    /// <summary>The same request again, byte for byte (a replay).</summary>
    public static async Task<HttpRequestMessage> CopyAsync(HttpRequestMessage original)
    {
        var body = await original.Content!.ReadAsStringAsync();
        var copy = new HttpRequestMessage(HttpMethod.Post, original.RequestUri) { Content = new StringContent(body, Encoding.UTF8) };
        copy.Content.Headers.ContentType = original.Content.Headers.ContentType;
        foreach (var (name, values) in original.Headers) copy.Headers.TryAddWithoutValidation(name, values);
        return copy;
    }
}
