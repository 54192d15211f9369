using System.Text.Json;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Any HTTP endpoint, each notice a JSON body signed as Standard Webhooks do (<see cref="SignedPost"/>) when a <c>Secret</c> is set.</summary>
public sealed class WebhookKind : IChannelKind
{
    public string Name => "Webhook";
    public double DefaultRatePerSecond => 10;
    public int DefaultBurst => 10;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
    {
        var (url, problem) = HttpDelivery.Url(channel, "Url", channel.Section["Url"]);
        if (url is null) return SenderSetup.NotConfigured(problem!);
        if (!WebhookSecret.TryRead(channel.Section["Secret"], out var key))
            return SenderSetup.NotConfigured($"channel '{channel.Name}' has an invalid Secret: it must be {WebhookSecret.Rule}");
        return SenderSetup.Ready(new WebhookSender(new SignedPost(
            HttpDelivery.Client(services), url, key, services.GetRequiredService<Installation>(), services.GetRequiredService<TimeProvider>())));
    }
}

/// <summary>The notice's fields for a program, and <c>text</c>: the line that tells a person what happened and names the request.</summary>
public sealed class WebhookSender(SignedPost post) : IChannelSender
{
    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken) =>
        post.SendAsync(notice.DeliveryId, id => Body(notice, id), cancellationToken);

    /// <summary>The body of <paramref name="notice"/>, whose <c>id</c> is its <c>webhook-id</c>.</summary>
    private static byte[] Body(OutgoingNotice notice, string id) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            id,
            kind = notice.Kind switch
            {
                NoticeKind.StillWaiting => "still_waiting",
                NoticeKind.Taken => "taken",
                NoticeKind.Resolved => "resolved",
                _ => "request",
            },
            requestId = notice.RequestId,
            by = notice.By,
            conversationUrl = notice.ConversationUrl,
            channel = notice.Channel,
            topic = notice.Topic,
            description = notice.Description,
            createdAt = notice.CreatedAt,
            text = new NoticeText(notice).Summary,
        }, WireJson.Options);
}
