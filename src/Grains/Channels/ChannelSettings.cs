using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Grains.Channels;

/// <summary>One configured channel: its name (what routes point at), kind, limits and raw settings section.</summary>
public sealed record ChannelSettings(string Name, IChannelKind Kind, double RatePerSecond, int Burst, IConfigurationSection Section);
