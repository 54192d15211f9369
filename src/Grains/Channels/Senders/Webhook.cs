using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// Any HTTP endpoint, signed as Standard Webhooks do: <c>webhook-id</c>, <c>webhook-timestamp</c>, and
/// <c>webhook-signature: v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))</c> when a <c>Secret</c> is set.
/// </summary>
public sealed class WebhookKind : IChannelKind
{
    public string Name => "Webhook";
    public double DefaultRatePerSecond => 10;
    public int DefaultBurst => 10;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
    {
        var (url, problem) = HttpDelivery.Url(channel, "Url", channel.Section["Url"]);
        if (url is null) return SenderSetup.NotConfigured(problem!);
        var secret = channel.Section["Secret"];
        byte[]? key = null;
        if (!string.IsNullOrEmpty(secret) && (key = SecretBytes(secret)) is null)
            return SenderSetup.NotConfigured($"channel '{channel.Name}' has an invalid Secret: after 'whsec_' it must be base64");
        return SenderSetup.Ready(new WebhookSender(HttpDelivery.Client(services), url, key, services.GetRequiredService<TimeProvider>()));
    }

    /// <summary>A <c>whsec_</c> secret is base64 (Standard Webhooks); any other is taken as UTF-8 text. Null when the base64 is not.</summary>
    public static byte[]? SecretBytes(string secret)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal)) return Encoding.UTF8.GetBytes(secret);
        var encoded = secret["whsec_".Length..];
        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var written) ? bytes[..written] : null;
    }
}

public sealed class WebhookSender(HttpClient http, Uri url, byte[]? secret, TimeProvider time) : IChannelSender
{
    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = notice.DeliveryId,
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
        }, JsonSerializerOptions.Web);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", notice.DeliveryId);
        request.Headers.Add("webhook-timestamp", timestamp);
        if (secret is not null)
            request.Headers.Add("webhook-signature", Signature(secret, notice.DeliveryId, timestamp, body));
        return HttpDelivery.PostAsync(http, request, null, time, cancellationToken);
    }

    public static string Signature(byte[] secret, string id, string timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, signed));
    }
}
