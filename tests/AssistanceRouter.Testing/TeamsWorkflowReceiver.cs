using System.Text.Json;

namespace AssistanceRouter.Testing;

/// <summary>
/// A real HTTP server standing in for a Teams Workflows webhook ("When a Teams webhook request is received"), checking
/// each body as the trigger's documented request schema says (learn.microsoft.com/connectors/teams, "Microsoft Teams
/// Webhook"): <c>type</c> "message" and <c>attachments</c>, each with <c>contentType</c>
/// "application/vnd.microsoft.card.adaptive", <c>contentUrl</c> (null) and <c>content</c>, an AdaptiveCard. A body
/// that holds to it gets <c>202</c> with no body, as a flow's request trigger answers; any other a <c>400</c> whose
/// JSON has the <c>{"error": {"code", "message"}}</c> shape of Power Automate's errors (the wording is this stand-in's).
/// Tests script <see cref="Throttled"/> and server errors.
/// </summary>
public sealed class TeamsWorkflowReceiver : IAsyncDisposable
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";

    private readonly LoopbackReceiver http;

    private TeamsWorkflowReceiver(LoopbackReceiver http)
    {
        this.http = http;
        http.Respond = (request, _) => Answer(request);
    }

    public static async Task<TeamsWorkflowReceiver> StartAsync() => new(await LoopbackReceiver.StartAsync());

    /// <summary>The flow's URL, with a <c>sig</c> like a real one: the part that is the secret.</summary>
    public Uri Url => new(http.Url, "/workflows/f0/triggers/manual/paths/invoke?api-version=1&sig=SECRETSIGNATURE");

    public IReadOnlyList<ReceivedRequest> Requests => http.Requests;

    public Task<IReadOnlyList<ReceivedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) => http.WaitForRequestsAsync(count, timeout);

    /// <inheritdoc cref="LoopbackReceiver.Script"/>
    public void Script(string marker, Func<int, Reply?> reply) => http.Script(marker, reply);

    /// <summary>Too many requests for the flow: <c>429</c> with <c>Retry-After</c> in seconds.</summary>
    public static Reply Throttled(int retryAfterSeconds) => new(429,
        """{"error":{"code":"WorkflowTriggerIsThrottled","message":"The workflow's trigger is throttled; retry after the time in Retry-After."}}""",
        RetryAfter: retryAfterSeconds.ToString(), ContentType: "application/json");

    private static Reply Accepted { get; } = new(202, "");

    private static Reply Malformed(string problem) => new(400,
        JsonSerializer.Serialize(new { error = new { code = "TriggerInputSchemaMismatch", message = $"The input body for the trigger did not match its schema: {problem}" } }),
        ContentType: "application/json");

    private static Reply Answer(ReceivedRequest request)
    {
        if (request.Method != "POST") return new Reply(405, "");
        if (request.Header("content-type")?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            return Malformed("the content type is not application/json");
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(request.Body).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Malformed($"the body is not JSON ({ex.Message})");
        }
        return Problem(body) is { } problem ? Malformed(problem) : Accepted;
    }

    /// <summary>What the trigger's request schema finds wrong with <paramref name="body"/>, or null.</summary>
    public static string? Problem(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return "the body is not an object";
        if (!body.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "message")
            return "'type' must be \"message\"";
        if (!body.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array || attachments.GetArrayLength() == 0)
            return "'attachments' must be an array of adaptive card items";
        foreach (var item in attachments.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) return "an attachment is not an object";
            if (!item.TryGetProperty("contentType", out var contentType) || contentType.GetString() != CardContentType)
                return $"an attachment's 'contentType' must be \"{CardContentType}\"";
            if (!item.TryGetProperty("contentUrl", out var contentUrl) || contentUrl.ValueKind != JsonValueKind.Null)
                return "an attachment's 'contentUrl' must be null";
            if (!item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
                return "an attachment's 'content' must be an adaptive card object";
            if (!content.TryGetProperty("type", out var cardType) || cardType.GetString() != "AdaptiveCard")
                return "an attachment's 'content' must have 'type' \"AdaptiveCard\"";
        }
        return null;
    }

    public ValueTask DisposeAsync() => http.DisposeAsync();
}
