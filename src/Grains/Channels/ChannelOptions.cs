using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// The <c>Channels</c> configuration section, by channel name, as far as every kind shares it: the kind and the rate
/// limit. Each kind's own settings (URLs, hosts, secrets) are read by its sender from the channel's section.
/// </summary>
public sealed class ChannelOptions() : Dictionary<string, ChannelLimits>(StringComparer.OrdinalIgnoreCase)
{
    public const string Section = "Channels";

    /// <summary>Channels that exist without configuration; a section of the same name adjusts them.</summary>
    public static readonly IReadOnlyList<string> BuiltIn = ["Slack", "Email", "Console"];

    /// <summary>Every channel as configured: the built-in ones first, then the sections in order.</summary>
    public IEnumerable<(string Name, ChannelLimits Limits)> All =>
        BuiltIn.Where(name => !ContainsKey(name)).Select(name => (name, new ChannelLimits()))
            .Concat(this.Select(entry => (entry.Key, entry.Value)));

    /// <summary>The names routes may use: lower case.</summary>
    public IReadOnlySet<string> RouteNames => All.Select(c => ChannelCatalog.Normalize(c.Name)).ToHashSet();
}

/// <summary>What <c>Channels:{Name}</c> says beside the kind's own settings; unset values take the kind's defaults.</summary>
public sealed class ChannelLimits
{
    /// <summary>A channel kind (<c>Slack</c>, <c>Email</c>, <c>Webhook</c>, <c>Console</c>); unset: the channel's name.</summary>
    public string? Kind { get; set; }

    public double? RatePerSecond { get; set; }

    public int? Burst { get; set; }
}
