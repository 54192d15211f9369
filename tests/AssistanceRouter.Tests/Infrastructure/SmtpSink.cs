using System.Buffers;
using System.Collections.Concurrent;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>A real SMTP server on loopback (the SmtpServer package) that keeps every message it accepts.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<MimeMessage> messages = new();
    private Task running = Task.CompletedTask;

    public int Port { get; private set; }

    /// <summary>How the server answers DATA; replace it to script 4xx or 5xx replies.</summary>
    public Func<MimeMessage, SmtpResponse> Respond { get; set; } = _ => SmtpResponse.Ok;

    public IReadOnlyList<MimeMessage> Messages => [.. messages];

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink { Port = FreePort.Next() };
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, sink.Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(sink));
        var server = new SmtpServer.SmtpServer(options, services);
        sink.running = server.StartAsync(sink.stop.Token);
        await FreePort.WaitUntilListeningAsync(sink.Port);
        return sink;
    }

    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.Until(() => messages.Count, got => got >= count, $"{count} messages at the SMTP server", timeout ?? TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20), got => $"{got} messages");
        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try { await running; } catch (OperationCanceledException) { }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var response = sink.Respond(message);
            if (response.ReplyCode == SmtpReplyCode.Ok)
                sink.messages.Enqueue(message);
            return response;
        }
    }
}
