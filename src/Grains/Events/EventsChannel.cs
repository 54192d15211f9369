using System.Text.Json;
using System.Text.Json.Serialization;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Events;

/// <summary>
/// Events to the bot travel like any notice: through a channel of their own (a channel grain named
/// <see cref="Name"/>, which no route can name), so that they are durable, rate-limited and retried until taken.
/// </summary>
public sealed class EventsChannel(IOptions<EventsOptions> options, IConfiguration configuration)
{
    /// <summary>Not a valid channel name in configuration, so it never clashes with one.</summary>
    public const string Name = "@events";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public EventsOptions Options => options.Value;

    /// <summary>The channel's settings, or null when events are off.</summary>
    public ChannelSettings? Settings => options.Value.Enabled
        ? new ChannelSettings(Name, new EventsKind(options.Value), options.Value.RatePerSecond, options.Value.Burst, configuration.GetSection(EventsOptions.Section))
        : null;

    /// <summary>The body a bot receives: the type, when it happened, and the request as GET shows it.</summary>
    public static byte[] Body(string type, DateTimeOffset at, AssistanceRequestView request) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, timestamp = at, data = request }, Json);

    private sealed class EventsKind(EventsOptions events) : IChannelKind
    {
        public string Name => "Events";
        public double DefaultRatePerSecond => events.RatePerSecond;
        public int DefaultBurst => events.Burst;

        public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
        {
            if (!Uri.TryCreate(events.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                return SenderSetup.NotConfigured("Events__Url is not an http(s) URL");
            var secret = string.IsNullOrEmpty(events.Secret) ? null : WebhookKind.SecretBytes(events.Secret);
            if (secret is null && !string.IsNullOrEmpty(events.Secret))
                return SenderSetup.NotConfigured("Events__Secret is not valid: after 'whsec_' it must be base64");
            return SenderSetup.Ready(new EventSender(HttpDelivery.Client(services), url, secret, services.GetRequiredService<TimeProvider>()));
        }
    }
}

/// <summary>Posts an event's body, signed by the Standard Webhooks rule, with the event's own stable <c>webhook-id</c>.</summary>
public sealed class EventSender(HttpClient http, Uri url, byte[]? secret, TimeProvider time) : IChannelSender
{
    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        var body = notice.Body ?? [];
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", notice.NoticeId);
        request.Headers.Add("webhook-timestamp", timestamp);
        if (secret is not null) request.Headers.Add("webhook-signature", WebhookSender.Signature(secret, notice.NoticeId, timestamp, body));
        return HttpDelivery.PostAsync(http, request, null, time, cancellationToken);
    }
}
