using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Routing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.Api.Channels;

/// <summary>Each channel's kind, rate limit and counters (since the channel's grain last started).</summary>
public static class ChannelsApi
{
    public static WebApplication MapChannelsApi(this WebApplication app)
    {
        app.MapGroup("/channels").WithTags("Channels")
            .MapGet("", GetAll).WithSummary("Every channel: kind, rate limit, pending, delivered, failed, last error, paused");
        return app;
    }

    public static async Task<Ok<ChannelView[]>> GetAll(IClusterClient cluster)
    {
        var names = (await cluster.GetGrain<ITopicRouterGrain>(0).GetSnapshot()).Channels;
        return TypedResults.Ok(await Task.WhenAll(names.Select(n => cluster.GetGrain<IChannelGrain>(n).GetView())));
    }
}
