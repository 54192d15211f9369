using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AssistanceRouter.Testing;

/// <summary>One message the stand-in holds: where it is, its thread, and its body as last posted or updated.</summary>
public sealed record SlackMessage(string Channel, string Ts, string? ThreadTs, JsonObject Body, int Updates);

/// <summary>
/// A real HTTP server standing in for Slack's Web API (docs.slack.dev, "chat.postMessage", "chat.update", "Rate
/// limits") and for the <c>response_url</c> of interactions. Every method answers HTTP 200 with <c>{"ok": true, …}</c>
/// or <c>{"ok": false, "error"}</c>: <c>not_authed</c> without a bearer token, <c>invalid_auth</c> with another,
/// <c>channel_not_found</c> for another channel, <c>no_text</c> without text or blocks, <c>invalid_blocks</c> for
/// blocks Block Kit refuses (past its counts and lengths), <c>message_not_found</c> for <c>chat.update</c> of a
/// message this token did not post. <c>chat.postMessage</c> answers <c>channel</c>, <c>ts</c> and the message. Tests
/// script <see cref="RateLimited"/> (HTTP 429 with <c>Retry-After</c>) and errors, and <see cref="HoldPosts"/>: the
/// message is posted, its answer never sent (as when the poster dies before reading it).
/// </summary>
public sealed class SlackWebApi : IAsyncDisposable
{
    public const string Token = "xoxb-1234567890-0987654321-STANDINBOTTOKEN";
    public const string ChannelId = "C0STANDIN01";

    private readonly LoopbackReceiver http;
    private readonly List<SlackMessage> messages = [];
    private long clock = 1_700_000_000_000_100;

    private SlackWebApi(LoopbackReceiver http)
    {
        this.http = http;
        http.Respond = (request, _) => Answer(request);
    }

    public static async Task<SlackWebApi> StartAsync(int port = 0) => new(await LoopbackReceiver.StartAsync(port));

    /// <summary>What <c>ApiBaseUrl</c> is set to: the methods are under it.</summary>
    public Uri ApiBaseUrl => new(http.Url, "/api/");

    /// <summary>A <c>response_url</c> as Slack makes them: a secret path under hooks.slack.com, here on loopback.</summary>
    public Uri ResponseUrl(string name) => new(http.Url, $"/actions/T0STANDIN/{name}/SECRETRESPONSEPATH");

    /// <summary>When set, a <c>chat.postMessage</c> whose body contains it is posted and never answered.</summary>
    public string? HoldPosts { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => http.Requests;

    /// <summary>Every message, in the order posted, with its latest body.</summary>
    public IReadOnlyList<SlackMessage> Messages { get { lock (messages) return [.. messages]; } }

    /// <summary>What <c>response_url</c>s received.</summary>
    public IReadOnlyList<ReceivedRequest> Responses => [.. http.Requests.Where(r => r.Path.StartsWith("/actions/", StringComparison.Ordinal))];

    /// <inheritdoc cref="LoopbackReceiver.Script"/>
    public void Script(string marker, Func<int, Reply?> reply) => http.Script(marker, reply);

    /// <summary>Slack's answer past a method's rate limit: HTTP 429 with <c>Retry-After</c> in seconds.</summary>
    public static Reply RateLimited(int retryAfterSeconds) =>
        new(429, """{"ok":false,"error":"ratelimited"}""", RetryAfter: retryAfterSeconds.ToString(CultureInfo.InvariantCulture), ContentType: "application/json");

    /// <summary>An <c>ok: false</c> answer, HTTP 200 as Slack sends them.</summary>
    public static Reply Error(string error) => Json(new JsonObject { ["ok"] = false, ["error"] = error });

    public Task<SlackMessage[]> WaitForMessagesAsync(Func<SlackMessage, bool> match, int count, TimeSpan? timeout = null) =>
        Eventually.Until(() => Messages.Where(match).ToArray(), got => got.Length >= count, $"{count} matching Slack messages",
            timeout ?? TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20), got => $"{got.Length}; all: {string.Join("\n", Messages.Select(m => m.Body.ToJsonString()))}");

    /// <summary>The ephemeral reply posted to the response_url that <see cref="ResponseUrl"/> made for <paramref name="name"/>.</summary>
    public async Task<ReceivedRequest> WaitForResponseAsync(string name, TimeSpan? timeout = null) =>
        (await http.WaitForRequestsAsync(r => r.Path.StartsWith("/actions/", StringComparison.Ordinal) && r.Path.Contains($"/{name}/", StringComparison.Ordinal), 1, timeout)).Single();

    private Reply Answer(ReceivedRequest request)
    {
        if (request.Path.StartsWith("/actions/", StringComparison.Ordinal))
            return Json(new JsonObject { ["ok"] = true }); // a response_url takes the message
        if (request.Method != "POST") return new Reply(405, "");
        var authorization = request.Header("authorization");
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return Error("not_authed");
        if (authorization != $"Bearer {Token}") return Error("invalid_auth");
        if (request.Header("content-type")?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true) return Error("invalid_arguments");
        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Error("invalid_json");
        }
        return request.Path switch
        {
            "/api/chat.postMessage" => Post(body),
            "/api/chat.update" => Update(body),
            _ => Error("unknown_method"),
        };
    }

    private Reply Post(JsonObject body)
    {
        var channel = body["channel"]?.GetValue<string>();
        if (channel != ChannelId) return Error("channel_not_found");
        if (Problem(body) is { } problem) return problem;
        var threadTs = body["thread_ts"]?.GetValue<string>();
        SlackMessage message;
        lock (messages)
        {
            if (threadTs is not null && !messages.Any(m => m.Ts == threadTs)) return Error("thread_not_found");
            var ts = (++clock).ToString(CultureInfo.InvariantCulture).Insert(10, ".");
            message = new SlackMessage(channel, ts, threadTs, body, 0);
            messages.Add(message);
        }
        if (HoldPosts is { } held && body.ToJsonString().Contains(held, StringComparison.Ordinal)) return new Reply(Hang: true);
        return Json(new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = message.Ts, ["message"] = body.DeepClone() });
    }

    private Reply Update(JsonObject body)
    {
        var (channel, ts) = (body["channel"]?.GetValue<string>(), body["ts"]?.GetValue<string>());
        if (channel != ChannelId) return Error("channel_not_found");
        if (Problem(body) is { } problem) return problem;
        lock (messages)
        {
            var index = messages.FindIndex(m => m.Channel == channel && m.Ts == ts);
            if (index < 0) return Error("message_not_found");
            messages[index] = messages[index] with { Body = body, Updates = messages[index].Updates + 1 };
        }
        return Json(new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["text"] = body["text"]?.DeepClone() });
    }

    /// <summary>Block Kit's limits as Slack documents them: 50 blocks, section text 3,000, header 150, button text 75, action_id 255, value 2,000; text 40,000.</summary>
    private static Reply? Problem(JsonObject body)
    {
        var text = body["text"]?.GetValue<string>();
        if (body["blocks"] is not JsonArray blocks)
            return string.IsNullOrEmpty(text) ? Error("no_text") : text.Length > 40_000 ? Error("msg_too_long") : null;
        if (text?.Length > 40_000) return Error("msg_too_long");
        if (blocks.Count is 0 or > 50) return Error("invalid_blocks");
        foreach (var block in blocks)
        {
            var ok = block?["type"]?.GetValue<string>() switch
            {
                "header" => block["text"]?["type"]?.GetValue<string>() == "plain_text" && block["text"]!["text"]!.GetValue<string>().Length is > 0 and <= 150,
                "section" => block["text"]?["text"]?.GetValue<string>() is { Length: > 0 and <= 3000 },
                "context" => block["elements"] is JsonArray { Count: > 0 and <= 10 },
                "actions" => block["elements"] is JsonArray { Count: > 0 and <= 25 } elements && elements.All(ButtonOk)
                    && elements.Select(e => e!["action_id"]!.GetValue<string>()).Distinct().Count() == elements.Count,
                _ => false,
            };
            if (!ok) return Error("invalid_blocks");
        }
        return null;
    }

    private static bool ButtonOk(JsonNode? element) =>
        element?["type"]?.GetValue<string>() == "button"
        && element["text"]?["type"]?.GetValue<string>() == "plain_text" && element["text"]!["text"]!.GetValue<string>().Length is > 0 and <= 75
        && element["action_id"]?.GetValue<string>() is { Length: > 0 and <= 255 }
        && element["value"]?.GetValue<string>() is null or { Length: <= 2000 }
        && element["style"]?.GetValue<string>() is null or "primary" or "danger";

    private static Reply Json(JsonObject body) => new(200, body.ToJsonString(), ContentType: "application/json; charset=utf-8");

    public ValueTask DisposeAsync() => http.DisposeAsync();
}
