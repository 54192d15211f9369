using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

/// <summary>Stops the process at start on a channel whose kind does not exist or whose limits cannot work.</summary>
public sealed class ChannelOptionsValidator(IEnumerable<IChannelKind> kinds, IConfiguration configuration) : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions options)
    {
        var kindNames = kinds.Select(k => k.Name).ToArray();
        var failures = new List<string>();
        foreach (var (channel, limits) in options.All)
        {
            var kind = limits.Kind ?? channel;
            if (!kindNames.Contains(kind, StringComparer.OrdinalIgnoreCase))
                failures.Add(limits.Kind is null
                    ? $"{ChannelOptions.Section}:{channel}:Kind is not set, and '{channel}' is not a channel kind; set it to one of {string.Join(", ", kindNames)}."
                    : $"{ChannelOptions.Section}:{channel}:Kind is '{kind}', which is not a channel kind; use one of {string.Join(", ", kindNames)}.");
            // The binder leaves a value it cannot convert inside a dictionary unset, so the raw text is checked here.
            foreach (var (key, value, expected) in new[] { ("RatePerSecond", (object?)limits.RatePerSecond, "a number"), ("Burst", limits.Burst, "a whole number") })
                if (value is null && configuration[$"{ChannelOptions.Section}:{channel}:{key}"] is { Length: > 0 } raw)
                    failures.Add($"{ChannelOptions.Section}:{channel}:{key} is '{raw}', which is not {expected}.");
            if (limits.RatePerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
                failures.Add($"{ChannelOptions.Section}:{channel}:RatePerSecond must be a positive number (0.01 is one send every 100 s), not {rate}.");
            if (limits.Burst is < 1)
                failures.Add($"{ChannelOptions.Section}:{channel}:Burst must be at least 1, not {limits.Burst}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
