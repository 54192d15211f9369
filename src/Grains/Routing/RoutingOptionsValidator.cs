using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Routing;

/// <summary>Stops the process at start on a configured route, escalation or fallback that names no channel, a step out of order, or a bad topic name.</summary>
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
        foreach (var (topic, escalation) in options.Escalation)
            failures.AddRange(EscalationProblems($"{RoutingOptions.Section}:Escalation:{topic}", topic, escalation, known, knownList));
        if (options.MaxTopics < 1)
            failures.Add($"{RoutingOptions.Section}:MaxTopics is {options.MaxTopics}; it must be at least 1.");
        if (options.Fallback is { Length: > 0 } fallback && !known.Contains(ChannelCatalog.Normalize(fallback)))
            failures.Add($"{RoutingOptions.Section}:Fallback is '{fallback}', which is not a channel; channels: {knownList}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// A topic's configured escalation, checked as <c>PUT /topics</c> checks one: at start, with the other settings,
    /// rather than when the router first reads it (a node that started with a bad step answered 500 to every submission).
    /// </summary>
    private static IEnumerable<string> EscalationProblems(string prefix, string topic, EscalationSettings escalation, IReadOnlySet<string> known, string knownList)
    {
        if (!TopicNames.IsValid(TopicNames.Normalize(topic)))
            yield return $"{prefix} names '{topic}', which is not a valid topic name: {TopicNames.Rule}.";
        if (escalation.Repeat is < 0 or > EscalationPolicy.MaxRepeat)
            yield return $"{prefix}:Repeat is {escalation.Repeat}; it must be 0 to {EscalationPolicy.MaxRepeat}.";
        if (escalation.Steps.Count > EscalationPolicy.MaxSteps)
            yield return $"{prefix}:Steps lists {escalation.Steps.Count} steps; at most {EscalationPolicy.MaxSteps}.";
        if (escalation.Repeat > 0 && escalation.Steps.Count == 0)
            yield return $"{prefix}:Repeat is {escalation.Repeat}, but there are no steps to repeat; set {prefix}:Steps:0:After and {prefix}:Steps:0:Channels:0.";
        var previous = TimeSpan.Zero;
        for (var i = 0; i < escalation.Steps.Count; i++)
        {
            var step = escalation.Steps[i];
            if (step.After <= TimeSpan.Zero)
                yield return $"{prefix}:Steps:{i}:After is {step.After:c}; a step's After (from acceptance) must be more than zero.";
            else if (step.After <= previous)
                yield return $"{prefix}:Steps:{i}:After is {step.After:c}, not later than Steps:{i - 1}:After ({previous:c}); steps must be strictly increasing.";
            if (step.Channels.Count == 0 || step.Channels.Any(string.IsNullOrWhiteSpace))
                yield return $"{prefix}:Steps:{i}:Channels must list at least one channel, and no empty one; channels: {knownList}.";
            foreach (var (channel, index) in step.Channels.Select((c, j) => (c, j)))
                if (!string.IsNullOrWhiteSpace(channel) && !known.Contains(ChannelCatalog.Normalize(channel)))
                    yield return $"{prefix}:Steps:{i}:Channels:{index} is '{channel}', which is not a channel; channels: {knownList}.";
            if (step.After > previous) previous = step.After;
        }
    }
}
