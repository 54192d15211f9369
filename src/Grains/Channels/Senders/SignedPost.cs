using System.Security.Cryptography;
using System.Text;
using AssistanceRouter.Grains.Keys;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// A JSON POST signed as Standard Webhooks do, for webhook channels and for events to the bot: <c>webhook-id</c>,
/// <c>webhook-timestamp</c> and, with a secret (<see cref="WebhookSecret"/>),
/// <c>webhook-signature: v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))</c>. The id is the message's own,
/// made unique across installations (<see cref="Installation"/>).
/// </summary>
public sealed class SignedPost(HttpClient http, Uri url, byte[]? secret, Installation installation, TimeProvider time)
{
    /// <summary>
    /// Posts the body <paramref name="render"/> makes for the <c>webhook-id</c> of <paramref name="localId"/>, which stays
    /// the same on every retry so that a receiver can drop repeats.
    /// </summary>
    public async Task<SendResult> SendAsync(string localId, Func<string, byte[]> render, CancellationToken cancellationToken)
    {
        var id = await installation.GlobalIdAsync(localId);
        var body = render(id);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        if (secret is not null) request.Headers.Add("webhook-signature", Signature(secret, id, timestamp, body));
        return await HttpDelivery.PostAsync(http, request, null, time, cancellationToken);
    }

    public static string Signature(byte[] secret, string id, string timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, signed));
    }
}
