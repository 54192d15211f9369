using System.Text;
using System.Text.Json;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Keys;

namespace AssistanceRouter.Tests.Channels;

/// <summary>Webhook channels and events to the bot: one signed post, against a real HTTP server on loopback.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a shared secret of 24+ bytes");
    private const string InstallationId = "5f0c7e3a9b2d4c61a8e0f1b2c3d4e5f6";
    private LoopbackReceiver receiver = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    private SignedPost Post(byte[]? secret = null) => new(http, receiver.Url, secret ?? Secret, Installation.Known(InstallationId), TimeProvider.System);

    private static void AssertSigned(ReceivedRequest post, string id, byte[] secret)
    {
        Assert.Equal(id, post.Header("webhook-id"));
        Assert.Equal(SignedPost.Signature(secret, id, post.Header("webhook-timestamp")!, Encoding.UTF8.GetBytes(post.Body)), post.Header("webhook-signature"));
        Assert.StartsWith("application/json", post.Header("content-type"));
    }

    [Theory]
    [InlineData(NoticeKind.Request, "request", "Assistance request (sales): I need help with my order")]
    [InlineData(NoticeKind.StillWaiting, "still_waiting", "Still waiting (3 min) (sales): I need help with my order")]
    [InlineData(NoticeKind.Taken, "taken", "Taken by Priya: sales — “I need help with my order” (waited 3 min)")]
    [InlineData(NoticeKind.Resolved, "resolved", "Resolved by Priya: sales — “I need help with my order” (after 3 min)")]
    public async Task Every_kind_is_signed_and_names_the_request_in_words(NoticeKind kind, string kindName, string text)
    {
        var created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
        var notice = new OutgoingNotice(RequestId, "hooks", "sales", "I need help with my order", created)
        {
            Kind = kind,
            NoticeId = $"{RequestId:N}-2",
            By = "Priya",
            At = created.AddMinutes(3),
        };

        var result = await new WebhookSender(Post()).SendAsync(notice, CancellationToken.None);

        Assert.Equal(SendResult.Delivered, result);
        var post = Assert.Single(receiver.Requests);
        AssertSigned(post, $"{RequestId:N}-2-hooks.{InstallationId}", Secret);
        var body = JsonDocument.Parse(post.Body).RootElement;
        Assert.Equal(post.Header("webhook-id"), body.GetProperty("id").GetString());
        Assert.Equal(kindName, body.GetProperty("kind").GetString());
        Assert.Equal(RequestId, body.GetProperty("requestId").GetGuid());
        Assert.Equal("sales", body.GetProperty("topic").GetString());
        Assert.Equal("I need help with my order", body.GetProperty("description").GetString());
        Assert.Equal(text, body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_event_goes_as_rendered_under_its_own_id_signed_the_same_way()
    {
        var secret = WebhookSecret.TryRead("whsec_" + Convert.ToBase64String(Secret), out var key) ? key! : throw new InvalidOperationException();
        var body = """{"type":"request.acknowledged","sequence":4}"""u8.ToArray();

        await new EventSender(Post(secret)).SendAsync(
            new OutgoingNotice(RequestId, EventsChannel.Name, "sales", "", DateTimeOffset.UtcNow) { Kind = NoticeKind.Event, NoticeId = $"{RequestId:N}-4", Body = body },
            CancellationToken.None);

        var post = Assert.Single(receiver.Requests);
        AssertSigned(post, $"{RequestId:N}-4.{InstallationId}", Secret);
        Assert.Equal(Encoding.UTF8.GetString(body), post.Body);
    }

    [Theory]
    [InlineData(null, true, 0)]
    [InlineData("", true, 0)]
    [InlineData("a shared secret of 24+ bytes", false, 0)] // no whsec_: the libraries would verify with other bytes
    [InlineData("whsec_c2VjcmV0", false, 0)] // 6 bytes
    [InlineData("whsec_MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0", true, 24)]
    [InlineData("whsec_not base64!", false, 0)]
    public void A_secret_is_whsec_and_the_base64_of_24_to_64_bytes(string? secret, bool valid, int keyBytes)
    {
        Assert.Equal(valid, WebhookSecret.TryRead(secret, out var bytes));
        Assert.Equal(keyBytes, bytes?.Length ?? 0);
        Assert.False(WebhookSecret.TryRead("whsec_" + Convert.ToBase64String(new byte[65]), out _));
        Assert.True(WebhookSecret.TryRead("whsec_" + Convert.ToBase64String(new byte[64]), out _));
    }
}
