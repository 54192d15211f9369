using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.Api.Channels;

/// <summary>Each channel's kind, rate limit, stored queue and counters (since the channel's grain last started); an operator's hold.</summary>
public static class ChannelsApi
{
    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/channels").WithTags("Channels");
        api.MapGet("", GetAll).WithName("ListChannels")
            .WithSummary("Every channel: kind, rate limit, pending (stored) and the oldest pending age, delivered, failed, last error, paused");
        api.MapPost("{name}/pause", Pause).WithName("PauseChannel")
            .WithSummary("Hold a channel: it keeps its queue and sends nothing until resumed, across restarts");
        api.MapPost("{name}/resume", Resume).WithName("ResumeChannel").WithSummary("Let a held channel send again");
        return app;
    }

    public static async Task<Ok<ChannelView[]>> GetAll(IClusterClient cluster)
    {
        var names = (await cluster.GetGrain<ITopicRouterGrain>(0).GetSnapshot()).Channels;
        return TypedResults.Ok(await Task.WhenAll(names.Select(n => cluster.GetGrain<IChannelGrain>(n).GetView())));
    }

    public static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> Pause(string name, IClusterClient cluster) =>
        await Known(name, cluster) is { } channel ? TypedResults.Ok(await cluster.GetGrain<IChannelGrain>(channel).Pause()) : NoSuchChannel(name);

    public static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> Resume(string name, IClusterClient cluster) =>
        await Known(name, cluster) is { } channel ? TypedResults.Ok(await cluster.GetGrain<IChannelGrain>(channel).Resume()) : NoSuchChannel(name);

    private static async Task<string?> Known(string name, IClusterClient cluster)
    {
        var normalized = ChannelCatalog.Normalize(name);
        return (await cluster.GetGrain<ITopicRouterGrain>(0).GetSnapshot()).Channels.Contains(normalized) ? normalized : null;
    }

    private static ProblemHttpResult NoSuchChannel(string name) =>
        ProblemAnswers.Problem(StatusCodes.Status404NotFound, "Not found", $"There is no channel named '{name}'; GET /channels lists them.");
}
