using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Routing;

/// <summary>
/// When a silo starts, says where the stored routing table and this silo's configuration disagree: configured routes
/// that the stored table overrides (it wins after the cluster's first start), and stored routes to channels this silo
/// does not have, whose requests would wait until the channel is configured again.
/// </summary>
public sealed partial class RoutingTableCheck(
    IGrainFactory grains,
    IOptions<RoutingOptions> options,
    IConfiguration configuration,
    ChannelCatalog channels,
    ILogger<RoutingTableCheck> logger) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken)
    {
        // In the background: reading the table must not hold up the silo's start, or fail it when storage is slow.
        _ = CheckAsync();
        return Task.CompletedTask;
    }

    private async Task CheckAsync()
    {
        try
        {
            var stored = await grains.GetGrain<ITopicRouterGrain>(0).GetSnapshot();
            if (ConfigurationDifferences(stored.Routes, options.Value.InitialTopics(configuration)) is { Count: > 0 } differences)
                LogConfigurationIgnored(string.Join("; ", differences));
            foreach (var (topic, missing) in MissingChannels(stored.Routes, channels.Names))
                LogRouteToMissingChannel(topic, string.Join(", ", missing));
        }
        catch (Exception ex)
        {
            LogNotChecked(ex);
        }
    }

    /// <summary>How the configured routes differ from the stored ones, one phrase per topic.</summary>
    public static IReadOnlyList<string> ConfigurationDifferences(IEnumerable<TopicRoute> stored, IReadOnlyDictionary<string, string[]> configured)
    {
        var storedByTopic = stored.ToDictionary(r => r.Topic, r => r.Channels);
        var configuredByTopic = configured.ToDictionary(
            t => TopicNames.Normalize(t.Key), t => t.Value.Select(ChannelCatalog.Normalize).Distinct().ToArray());
        var differences = new List<string>();
        foreach (var topic in storedByTopic.Keys.Union(configuredByTopic.Keys).Order(StringComparer.Ordinal))
        {
            var inStore = storedByTopic.GetValueOrDefault(topic);
            var inConfiguration = configuredByTopic.GetValueOrDefault(topic);
            if (inStore is null)
                differences.Add($"'{topic}' is configured ({string.Join(", ", inConfiguration!)}) but not in the stored table");
            else if (inConfiguration is null)
                differences.Add($"'{topic}' is stored ({string.Join(", ", inStore)}) but not configured");
            else if (!inStore.Order().SequenceEqual(inConfiguration.Order()))
                differences.Add($"'{topic}' is {string.Join(", ", inConfiguration)} in configuration but {string.Join(", ", inStore)} in the stored table");
        }
        return differences;
    }

    /// <summary>Stored routes naming channels that <paramref name="known"/> lacks, with those channels.</summary>
    public static IEnumerable<(string Topic, string[] Missing)> MissingChannels(IEnumerable<TopicRoute> stored, IReadOnlyCollection<string> known) =>
        stored.Select(r => (r.Topic, Missing: r.Channels.Where(c => !known.Contains(c)).ToArray())).Where(r => r.Missing.Length > 0);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Routing:Topics in configuration differs from the stored routing table, which is the one used after the cluster's " +
        "first start (change it with PUT or DELETE /topics/{{topic}}): {Differences}")]
    private partial void LogConfigurationIgnored(string differences);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Topic '{Topic}' routes to {Channels}, which this silo has no channel for: its requests wait until the channel is " +
        "configured again or the route changes (PUT /topics/{{topic}})")]
    private partial void LogRouteToMissingChannel(string topic, string channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not compare the stored routing table with the configuration")]
    private partial void LogNotChecked(Exception exception);
}
