using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Every channel routes may name, read once from the <c>Channels</c> configuration section.
/// <c>slack</c>, <c>email</c> and <c>console</c> always exist; a section <c>Channels:{Name}</c> adds or adjusts one.
/// </summary>
public sealed class ChannelCatalog
{
    private static readonly string[] BuiltIn = ["Slack", "Email", "Console"];

    private readonly Dictionary<string, ChannelSettings> channels = new(StringComparer.OrdinalIgnoreCase);

    public ChannelCatalog(IEnumerable<IChannelKind> kinds, IConfiguration configuration)
    {
        var kindsByName = kinds.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);
        var section = configuration.GetSection("Channels");
        var names = BuiltIn.Concat(section.GetChildren().Select(c => c.Key)).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var settings = section.GetSection(name);
            var kindName = settings["Kind"] ?? name;
            if (!kindsByName.TryGetValue(kindName, out var kind))
                throw new InvalidOperationException(
                    $"Channels:{name}:Kind is '{kindName}', which is not a channel kind; use one of {string.Join(", ", kindsByName.Keys)}.");
            var rate = settings.GetValue<double?>("RatePerSecond") ?? kind.DefaultRatePerSecond;
            var burst = settings.GetValue<int?>("Burst") ?? kind.DefaultBurst;
            if (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate))
                throw new InvalidOperationException($"Channels:{name}:RatePerSecond must be a positive number, not {rate}.");
            if (burst < 1)
                throw new InvalidOperationException($"Channels:{name}:Burst must be at least 1, not {burst}.");
            var key = Normalize(name);
            channels[key] = new ChannelSettings(key, kind, rate, burst, settings);
        }
    }

    /// <summary>Channel names as routes use them: lower case.</summary>
    public IReadOnlyCollection<string> Names => channels.Keys;

    public ChannelSettings? Find(string name) => channels.GetValueOrDefault(name);

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
