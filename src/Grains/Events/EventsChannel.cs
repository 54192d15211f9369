using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Keys;
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

    public EventsOptions Options => options.Value;

    /// <summary>The channel's settings, or null when events are off.</summary>
    public ChannelSettings? Settings => options.Value.Enabled
        ? new ChannelSettings(Name, new EventsKind(options.Value), options.Value.RatePerSecond, options.Value.Burst, configuration.GetSection(EventsOptions.Section))
        : null;

    /// <summary>
    /// The body a bot receives: the type, when it happened, <paramref name="sequence"/> (which grows with every event of
    /// the request, so that a bot can order events that retries delivered out of order), and the request as GET shows it.
    /// </summary>
    public static byte[] Body(string type, DateTimeOffset at, int sequence, AssistanceRequestView request) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, timestamp = at, sequence, data = request }, WireJson.Options);

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
                return SenderSetup.NotConfigured($"Events__Secret is not valid: it must be {WebhookSecret.Rule}");
            return SenderSetup.Ready(new EventSender(new SignedPost(
                HttpDelivery.Client(services), url, secret, services.GetRequiredService<Installation>(), services.GetRequiredService<TimeProvider>())));
        }
    }
}
