using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Topics;

/// <summary>The routing table: changes take effect cluster-wide at once and survive a restart.</summary>
public static class TopicsApi
{
    public static IEndpointRouteBuilder MapTopicsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/topics").WithTags("Topics");
        api.MapGet("", GetAll).WithName("ListTopics").WithSummary("Every topic and its channels");
        api.MapGet("{topic}", GetOne).WithName("GetTopic").WithSummary("One topic's channels");
        api.MapPut("{topic}", Put)
            .Accepts<RouteChannels>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("SetTopicRoute")
            .WithSummary("Route a topic to channels, e.g. {\"channels\": [\"slack\"], \"escalation\": {\"steps\": [{\"after\": \"00:05:00\", \"channels\": [\"email\"]}]}}");
        api.MapDelete("{topic}", Delete).WithName("RemoveTopicRoute").WithSummary("Remove a topic's route");
        return app;
    }

    public static async Task<Ok<TopicView[]>> GetAll(IClusterClient cluster)
    {
        var table = await Router(cluster).GetSnapshot();
        return TypedResults.Ok(table.Routes.Select(r => TopicView.Of(r, table)).ToArray());
    }

    public static async Task<Results<Ok<TopicView>, ProblemHttpResult>> GetOne(string topic, IClusterClient cluster)
    {
        var name = TopicNames.Normalize(topic);
        var table = await Router(cluster).GetSnapshot();
        var route = table.Routes.FirstOrDefault(r => r.Topic == name);
        return route is null ? NoSuchTopic(name) : TypedResults.Ok(TopicView.Of(route, table));
    }

    /// <summary>Channels one topic may name: far more than there are kinds of people to tell.</summary>
    public const int MaxChannelsPerTopic = 20;

    /// <summary>A route's body is a short list of names.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<Results<Ok<TopicRoute>, ValidationProblem, ProblemHttpResult>> Put(
        string topic, HttpRequest request, IClusterClient cluster, RoutingTableCache routes, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var name = TopicNames.Normalize(topic);
        if (!TopicNames.IsValid(name))
            return ProblemAnswers.Invalid("topic", $"'{TopicNames.Shorten(topic)}' is not a valid topic name: {TopicNames.Rule}.");
        var (body, unreadable) = await JsonBody.ReadAsync<RouteChannels>(
            request, json.Value.SerializerOptions, MaxBodyBytes, "a JSON object with 'channels', a list of channel names", cancellationToken);
        if (body is null) return unreadable!;
        if (body.Channels is not { Length: > 0 } channels || channels.Any(string.IsNullOrWhiteSpace))
            return ProblemAnswers.Invalid("channels", "'channels' must list at least one channel name.");
        if (channels.Length > MaxChannelsPerTopic)
            return ProblemAnswers.Invalid("channels", $"'channels' may list at most {MaxChannelsPerTopic} channels; it lists {channels.Length}.");
        if (channels.FirstOrDefault(c => c.Length > TopicNames.MaxLength) is { } tooLong)
            return ProblemAnswers.Invalid("channels", $"'{TopicNames.Shorten(tooLong)}' is not a channel: names are at most {TopicNames.MaxLength} characters.");
        EscalationPolicy? escalation = null;
        if (body.Escalation is { } given)
        {
            escalation = new EscalationPolicy([.. (given.Steps ?? []).Select(s => new EscalationStep(s.After, s.Channels ?? []))], given.Repeat);
            if (escalation.Problem() is { } problem) return ProblemAnswers.Invalid("escalation", $"'escalation' is not valid: {problem}.");
        }
        SetRouteResult result;
        try
        {
            result = await Router(cluster).SetRoute(name, channels, escalation);
        }
        catch (RoutingTableFullException full)
        {
            return ProblemAnswers.Problem(StatusCodes.Status409Conflict, "Routing table full", full.Message);
        }
        if (result.Snapshot is null)
            return ProblemAnswers.Invalid("channels", $"Unknown channel(s): {string.Join(", ", result.UnknownChannels)}. Known channels: {string.Join(", ", result.KnownChannels)}.");
        routes.Apply(result.Snapshot); // this node sees its own change at once; the others are notified
        return TypedResults.Ok(result.Route(name)!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string topic, IClusterClient cluster, RoutingTableCache routes)
    {
        var name = TopicNames.Normalize(topic);
        if (await Router(cluster).RemoveRoute(name) is not { } snapshot) return NoSuchTopic(name);
        routes.Apply(snapshot);
        return TypedResults.NoContent();
    }

    private static ITopicRouterGrain Router(IClusterClient cluster) => cluster.GetGrain<ITopicRouterGrain>(0);

    private static ProblemHttpResult NoSuchTopic(string topic) =>
        ProblemAnswers.Problem(StatusCodes.Status404NotFound, "Not found", $"There is no route for topic '{topic}'.");
}
