using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AssistanceRouter.Testing;

/// <summary>
/// A real HTTP server standing in for a Discord channel webhook, answering "Execute Webhook" as Discord documents it
/// (discord.com/developers/docs/resources/webhook, resources/message "Embed Limits", topics/rate-limits): a message
/// within the limits gets <c>200</c> and the message with <c>?wait=true</c>, else <c>204</c>; one past a limit gets
/// <c>400</c> "Invalid Form Body" (code 50035); a deleted webhook (<see cref="Deleted"/>) <c>404</c> "Unknown Webhook"
/// (code 10015). Tests script <see cref="RateLimited"/>. Lengths are counted in UTF-16 units, which is never fewer
/// than the characters Discord counts, so what passes here passes there.
/// </summary>
public sealed class DiscordWebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackReceiver http;
    private long messages;

    private DiscordWebhookReceiver(LoopbackReceiver http)
    {
        this.http = http;
        http.Respond = (request, _) => Answer(request);
    }

    public static async Task<DiscordWebhookReceiver> StartAsync() => new(await LoopbackReceiver.StartAsync());

    /// <summary>The webhook's URL: its id and, as the secret, its token.</summary>
    public Uri Url => new(http.Url, "/api/webhooks/1234567890/SECRETTOKEN");

    /// <summary>When true, the webhook has been deleted: every post gets <c>404</c>.</summary>
    public bool Deleted { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => http.Requests;

    public Task<IReadOnlyList<ReceivedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) => http.WaitForRequestsAsync(count, timeout);

    /// <inheritdoc cref="LoopbackReceiver.Script"/>
    public void Script(string marker, Func<int, Reply?> reply) => http.Script(marker, reply);

    /// <summary>
    /// Discord's <c>429</c>: a JSON body whose <c>retry_after</c> is in seconds, with decimals, and the headers Discord
    /// sends beside it (<c>Retry-After</c> in whole seconds, rounded up, as in Discord's own example: 64.57 and 65).
    /// </summary>
    public static Reply RateLimited(double retryAfterSeconds, string? retryAfterHeader = null) => new(429,
        JsonSerializer.Serialize(new { message = "You are being rate limited.", retry_after = retryAfterSeconds, global = false }),
        RetryAfter: retryAfterHeader ?? Math.Ceiling(retryAfterSeconds).ToString(CultureInfo.InvariantCulture),
        ContentType: "application/json",
        Headers: new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "5",
            ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Reset-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Bucket"] = "stand-in-bucket",
            ["X-RateLimit-Scope"] = "user",
        });

    private Reply Answer(ReceivedRequest request)
    {
        if (Deleted) return Json(404, new { message = "Unknown Webhook", code = 10015 });
        if (request.Header("content-type")?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            return Json(400, new { message = "Cannot send an empty message", code = 50006 });
        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Json(400, new { message = "The request body contains invalid JSON.", code = 50109 });
        }
        var content = body["content"]?.GetValue<string>() ?? "";
        var embeds = body["embeds"] as JsonArray ?? [];
        if (content.Trim().Length == 0 && embeds.Count == 0) return Json(400, new { message = "Cannot send an empty message", code = 50006 });
        if (Problem(content, embeds) is { } problem)
            return Json(400, new { code = 50035, errors = new { embeds = new { _errors = new[] { new { code = "BASE_TYPE_MAX_LENGTH", message = problem } } } }, message = "Invalid Form Body" });
        if (!request.Path.Contains("wait=true", StringComparison.OrdinalIgnoreCase)) return new Reply(204, "");
        var id = (1_300_000_000_000_000_000 + Interlocked.Increment(ref messages)).ToString(CultureInfo.InvariantCulture);
        return Json(200, new { id, type = 0, channel_id = "1111111111", webhook_id = "1234567890", content, embeds, timestamp = DateTimeOffset.UtcNow });
    }

    /// <summary>Which of Discord's message and embed limits the message breaks, or null.</summary>
    public static string? Problem(string content, JsonArray embeds)
    {
        if (content.Length > 2000) return "content: must be 2000 or fewer in length";
        if (embeds.Count > 10) return "embeds: must be 10 or fewer in length";
        var total = 0;
        foreach (var embed in embeds.OfType<JsonObject>())
        {
            int Measure(string path, int limit, out string? tooLong)
            {
                var text = (Walk(embed, path)?.GetValue<string>() ?? "").Trim();
                tooLong = text.Length > limit ? $"{path}: must be {limit} or fewer in length" : null;
                return text.Length;
            }
            foreach (var (path, limit) in new[] { ("title", 256), ("description", 4096), ("footer.text", 2048), ("author.name", 256) })
            {
                total += Measure(path, limit, out var tooLong);
                if (tooLong is not null) return tooLong;
            }
            var fields = embed["fields"] as JsonArray ?? [];
            if (fields.Count > 25) return "fields: must be 25 or fewer in length";
            foreach (var field in fields.OfType<JsonObject>())
            {
                var name = field["name"]?.GetValue<string>().Trim() ?? "";
                var value = field["value"]?.GetValue<string>().Trim() ?? "";
                if (name.Length > 256) return "fields.name: must be 256 or fewer in length";
                if (value.Length > 1024) return "fields.value: must be 1024 or fewer in length";
                total += name.Length + value.Length;
            }
            foreach (var path in new[] { "url", "author.url" })
                if (Walk(embed, path)?.GetValue<string>() is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" && !url.Contains(' ')))
                    return $"{path}: Not a well formed URL.";
        }
        return total > 6000 ? "Embed size exceeds maximum size of 6000" : null;
    }

    private static JsonNode? Walk(JsonObject node, string path)
    {
        JsonNode? at = node;
        foreach (var part in path.Split('.')) at = (at as JsonObject)?[part];
        return at;
    }

    private static Reply Json(int status, object body) => new(status, JsonSerializer.Serialize(body), ContentType: "application/json");

    public ValueTask DisposeAsync() => http.DisposeAsync();
}
