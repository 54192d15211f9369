using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Events;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Builds a channel's sender from its settings: a configured channel's (<see cref="ChannelCatalog"/>) or the events
/// channel's (<see cref="EventsChannel"/>), or says why the channel cannot send.
/// </summary>
public sealed class ChannelSenders(ChannelCatalog catalog, EventsChannel events, IServiceProvider services)
{
    public ChannelSetup Create(string channel)
    {
        var settings = channel == EventsChannel.Name ? events.Settings : catalog.Find(channel);
        if (settings is null)
        {
            return new ChannelSetup(null, null, channel == EventsChannel.Name
                ? "events are not configured: set Events__Url"
                : $"channel '{channel}' does not exist; known channels: {string.Join(", ", catalog.Names)}");
        }
        var setup = settings.Kind.CreateSender(settings, services);
        return new ChannelSetup(settings, setup.Sender, setup.Problem);
    }
}

/// <summary>A channel's settings (null: no such channel) and its sender, or the reason it cannot send.</summary>
public sealed record ChannelSetup(ChannelSettings? Settings, IChannelSender? Sender, string? Problem);
