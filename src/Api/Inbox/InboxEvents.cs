using System.Text;
using System.Text.Json;
using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// <c>GET /inbox/events</c>: a server-sent event stream of changes to requests, one event per change, named after it
/// (<c>accepted</c>, <c>acknowledged</c>, <c>unacknowledged</c>, <c>resolved</c>, <c>escalated</c>, <c>failed</c>,
/// <c>retried</c>, <c>attempted</c>), its <c>data</c> a JSON object naming the request's <c>id</c>. <c>reset</c> says
/// events were lost (a gap in the cluster's feed, or a page too slow to read them): read the inbox again. The page
/// also reads it again after every reconnection, so the stream keeps no history to replay. Written by hand rather than
/// with <c>TypedResults.ServerSentEvents</c>: a batch goes out in one write and one flush, and keep-alives are comments.
/// </summary>
public static class InboxEvents
{
    public const string Path = "/inbox/events";

    /// <summary>How long a browser waits before it reconnects (the SSE <c>retry</c> field).</summary>
    public const int RetryMilliseconds = 2000;

    public static readonly ReadOnlyMemory<byte> Reset = Encoding.UTF8.GetBytes("event: reset\ndata: {}\n\n");

    public static readonly ReadOnlyMemory<byte> KeepAlive = Encoding.UTF8.GetBytes(": keep-alive\n\n");

    private static readonly ReadOnlyMemory<byte> Opening = Encoding.UTF8.GetBytes($"retry: {RetryMilliseconds}\n: connected\n\n");

    public static IEndpointRouteBuilder MapInboxEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Stream).ExcludeFromDescription();
        return app;
    }

    /// <summary>The event name a change goes by: its kind in lower case.</summary>
    public static string Name(ChangeKind kind) => kind.ToString().ToLowerInvariant();

    public static ReadOnlyMemory<byte> Format(RequestChange change, long id)
    {
        using var data = new MemoryStream();
        using (var json = new Utf8JsonWriter(data))
        {
            json.WriteStartObject();
            json.WriteString("id", change.Request.Id);
            json.WriteString("type", Name(change.Kind));
            json.WriteString("topic", change.Request.Topic);
            json.WriteString("status", change.Request.Status.ToString());
            json.WriteString("at", change.Request.UpdatedAt);
            json.WriteEndObject();
        }
        // JSON escapes every line break, so the data is one line, as an SSE data field must be.
        return Encoding.UTF8.GetBytes($"id: {id}\nevent: {Name(change.Kind)}\ndata: {Encoding.UTF8.GetString(data.GetBuffer(), 0, (int)data.Length)}\n\n");
    }

    private static async Task Stream(HttpContext context, string? topic, InboxStreams streams, IHostApplicationLifetime lifetime)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold the events back
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var filter = string.IsNullOrWhiteSpace(topic) ? null : TopicNames.Normalize(topic);
        // Ends with the connection, or when the node stops (which would otherwise wait for every open page).
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var page = streams.Open(filter);
        try
        {
            await response.Body.WriteAsync(Opening, end.Token);
            await response.Body.FlushAsync(end.Token);
            await page.CopyToAsync(response.Body, end.Token);
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }
}
