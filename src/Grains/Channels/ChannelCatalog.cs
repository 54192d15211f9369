using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Every channel routes may name, read once from the <c>Channels</c> configuration section.
/// <c>slack</c>, <c>email</c> and <c>console</c> always exist; a section <c>Channels:{Name}</c> adds or adjusts one.
/// Wrong settings never reach here: <see cref="ChannelOptionsValidator"/> stops the process at start.
/// </summary>
public sealed class ChannelCatalog
{
    private readonly Dictionary<string, ChannelSettings> channels = new(StringComparer.OrdinalIgnoreCase);

    public ChannelCatalog(IEnumerable<IChannelKind> kinds, IConfiguration configuration)
    {
        var kindsByName = kinds.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);
        var section = configuration.GetSection(ChannelOptions.Section);
        var options = section.Get<ChannelOptions>() ?? [];
        foreach (var (name, limits) in options.All)
        {
            if (!kindsByName.TryGetValue(limits.Kind ?? name, out var kind)) continue;
            var key = Normalize(name);
            channels[key] = new ChannelSettings(
                key, kind, limits.RatePerSecond ?? kind.DefaultRatePerSecond, limits.Burst ?? kind.DefaultBurst, section.GetSection(name));
        }
    }

    /// <summary>Channel names as routes use them: lower case.</summary>
    public IReadOnlyCollection<string> Names => channels.Keys;

    public ChannelSettings? Find(string name) => channels.GetValueOrDefault(name);

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
