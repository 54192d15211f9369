using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// A kind of channel (Slack, Email, …): its defaults and how to build a sender from a channel's settings.
/// A new kind is one class implementing this plus one <c>AddChannelKind</c> line in <see cref="ChannelKinds"/>.
/// </summary>
public interface IChannelKind
{
    /// <summary>The value of <c>Channels__{Name}__Kind</c>, e.g. <c>Slack</c>.</summary>
    string Name { get; }

    double DefaultRatePerSecond { get; }

    int DefaultBurst { get; }

    /// <summary>Builds the sender, or says which settings are missing; never throws for missing settings.</summary>
    SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services);
}

/// <summary>A ready sender, or the reason the channel cannot send.</summary>
public sealed record SenderSetup(IChannelSender? Sender, string? Problem)
{
    public static SenderSetup Ready(IChannelSender sender) => new(sender, null);
    public static SenderSetup NotConfigured(string problem) => new(null, problem);
}
