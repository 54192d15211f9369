using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AssistanceRouter.Testing;

/// <summary>What the receiver got: one HTTP request.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>
/// How the receiver answers one request; <see cref="Hang"/> never answers before the client gives up. An empty
/// <see cref="Body"/> is no body at all (a <c>204</c>).
/// </summary>
public sealed record Reply(
    int Status = 200, string Body = "ok", string? RetryAfter = null, bool Hang = false, string ContentType = "text/plain",
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Reply Ok { get; } = new();
}

/// <summary>
/// A real HTTP server on loopback standing in for Slack or a webhook receiver: records every request and
/// answers as the test scripts it (by default 200 <c>ok</c>, as Slack does). <see cref="TeamsWorkflowReceiver"/> and
/// <see cref="DiscordWebhookReceiver"/> answer through it as Teams and Discord do.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> received = new();

    private LoopbackReceiver(WebApplication app) => this.app = app;

    /// <summary>Decides each reply; replace it to script failures. Called with the request and its 1-based number.</summary>
    public Func<ReceivedRequest, int, Reply> Respond { get; set; } = (_, _) => Reply.Ok;

    public Uri Url { get; private set; } = null!;

    private readonly ConcurrentDictionary<string, (Func<int, Reply?> Reply, int Count)> scripts = new();

    /// <summary>
    /// Scripts the replies to requests whose body contains <paramref name="marker"/>, by their 1-based number; a null
    /// reply leaves that request to <see cref="Respond"/>.
    /// </summary>
    public void Script(string marker, Func<int, Reply?> reply) => scripts[marker] = (reply, 0);

    private Reply Scripted(ReceivedRequest request, int number)
    {
        foreach (var (marker, script) in scripts)
        {
            if (!request.Body.Contains(marker, StringComparison.Ordinal)) continue;
            var count = scripts.AddOrUpdate(marker, script, (_, s) => (s.Reply, s.Count + 1)).Count;
            if (script.Reply(count) is { } reply) return reply;
            break;
        }
        return Respond(request, number);
    }

    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    public static async Task<LoopbackReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.Run(receiver.Handle);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.Until(() => received.Count, got => got >= count, $"{count} requests at the receiver", timeout ?? TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20), got => $"{got} requests");
        return Requests;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests that <paramref name="match"/> arrived; returns them.</summary>
    public Task<ReceivedRequest[]> WaitForRequestsAsync(Func<ReceivedRequest, bool> match, int count, TimeSpan? timeout = null) =>
        Eventually.Until(() => received.Where(match).ToArray(), got => got.Length >= count, $"{count} matching requests at the receiver",
            timeout ?? TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20), got => $"{got.Length} of them, {received.Count} in all");

    private async Task Handle(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body,
            DateTimeOffset.UtcNow);
        int number;
        lock (received)
        {
            received.Enqueue(request);
            number = received.Count;
        }
        var reply = Scripted(request, number);
        if (reply.Hang)
        {
            // Until the client gives up or the receiver stops (Kestrel would wait its whole shutdown timeout for it).
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
            try { await Task.Delay(Timeout.Infinite, either.Token); } catch (OperationCanceledException) { }
            return;
        }
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null) context.Response.Headers.RetryAfter = reply.RetryAfter;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (reply.Body.Length == 0) return;
        context.Response.ContentType = reply.ContentType;
        await context.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
