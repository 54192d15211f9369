using System.Text;
using System.Text.Json;

namespace AssistanceRouter.Tests.Inbox;

/// <summary>One server-sent event as a browser's EventSource sees it.</summary>
public sealed record ServerSentEvent(string? Id, string Type, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    public Guid RequestId => Json.GetProperty("id").GetGuid();
}

/// <summary>
/// Reads <c>/inbox/events</c> the way the text/event-stream format says a browser does: fields per line, an event
/// at each blank line, comments ignored.
/// </summary>
public sealed class EventStream(HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    private readonly StreamReader reader = new(body, Encoding.UTF8);

    public HttpResponseMessage Response => response;

    public static async Task<EventStream> OpenAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event that <paramref name="wanted"/> accepts, skipping others; fails after <paramref name="within"/>.</summary>
    public async Task<ServerSentEvent> NextAsync(Func<ServerSentEvent, bool> wanted, string awaited, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        var skipped = new List<string>();
        try
        {
            while (true)
            {
                var next = await ReadAsync(deadline.Token);
                if (wanted(next)) return next;
                skipped.Add($"{next.Type} {next.Data}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event for {awaited}; skipped: {string.Join(" | ", skipped.TakeLast(20))}");
        }
    }

    private async Task<ServerSentEvent> ReadAsync(CancellationToken cancellation)
    {
        string? id = null, type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || type is not null) return new ServerSentEvent(id, type ?? "message", data.ToString().TrimEnd('\n'));
                continue;
            }
            if (line[0] == ':') continue;
            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Append(value).Append('\n'); break;
            }
        }
        throw new EndOfStreamException("The event stream ended.");
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await body.DisposeAsync();
        response.Dispose();
    }
}
