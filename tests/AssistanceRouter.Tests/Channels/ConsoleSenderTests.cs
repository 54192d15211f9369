using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Tests.Channels;

/// <summary>The console channel logs every notice: the customer's words only at Debug, since they are personal data.</summary>
public sealed class ConsoleSenderTests
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");

    [Theory]
    [InlineData(NoticeKind.Request)]
    [InlineData(NoticeKind.StillWaiting)]
    [InlineData(NoticeKind.Taken)]
    [InlineData(NoticeKind.Resolved)]
    public async Task Every_kind_names_the_request_its_words_at_Debug_only(NoticeKind kind)
    {
        var recorder = new LogCapture();
        using var logging = LoggerFactory.Create(b => b.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        var created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");

        var result = await new ConsoleSender(logging.CreateLogger<ConsoleSender>()).SendAsync(
            new OutgoingNotice(RequestId, "console", "sales", "I need help with my order", created) { Kind = kind, By = "Priya", At = created.AddMinutes(3) },
            CancellationToken.None);

        Assert.Equal(SendResult.Delivered, result);
        Assert.All(recorder.Entries, l => Assert.Contains(RequestId.ToString(), l.Text));
        Assert.Contains(recorder.Entries, l => l.Level == LogLevel.Information && l.Text.Contains("sales"));
        Assert.Contains(recorder.Entries, l => l.Level == LogLevel.Debug && l.Text.Contains("I need help with my order"));
        Assert.DoesNotContain(recorder.Entries, l => l.Level > LogLevel.Debug && l.Text.Contains("help"));
    }
}
