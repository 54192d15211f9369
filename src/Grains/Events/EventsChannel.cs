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
            if (!WebhookSecret.TryRead(events.Secret, out var secret))
                return SenderSetup.NotConfigured($"Events__Secret is not valid: after '{WebhookSecret.Prefix}' it must be base64");
            return SenderSetup.Ready(new EventSender(new SignedPost(HttpDelivery.Client(services), url, secret, services.GetRequiredService<TimeProvider>())));
        }
    }
}
