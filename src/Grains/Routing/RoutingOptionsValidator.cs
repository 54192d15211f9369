using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Routing;

/// <summary>Stops the process at start on a configured route or fallback that names no channel, or a bad topic name.</summary>
public sealed class RoutingOptionsValidator(IOptions<ChannelOptions> channels) : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        var known = channels.Value.RouteNames;
        var knownList = string.Join(", ", known.Order(StringComparer.Ordinal));
        var failures = new List<string>();
        foreach (var (topic, routeChannels) in options.Topics)
        {
            if (!TopicNames.IsValid(TopicNames.Normalize(topic)))
                failures.Add($"{RoutingOptions.Section}:Topics:{topic} is not a valid topic name: {TopicNames.Rule}.");
            if (routeChannels.Length == 0 || routeChannels.Any(string.IsNullOrWhiteSpace))
                failures.Add($"{RoutingOptions.Section}:Topics:{topic} must list at least one channel, and no empty one; channels: {knownList}.");
            foreach (var (channel, index) in routeChannels.Select((c, i) => (c, i)))
                if (!string.IsNullOrWhiteSpace(channel) && !known.Contains(ChannelCatalog.Normalize(channel)))
                    failures.Add($"{RoutingOptions.Section}:Topics:{topic}:{index} is '{channel}', which is not a channel; channels: {knownList}.");
        }
        if (options.MaxTopics < 1)
            failures.Add($"{RoutingOptions.Section}:MaxTopics is {options.MaxTopics}; it must be at least 1.");
        if (options.Fallback is { Length: > 0 } fallback && !known.Contains(ChannelCatalog.Normalize(fallback)))
            failures.Add($"{RoutingOptions.Section}:Fallback is '{fallback}', which is not a channel; channels: {knownList}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
