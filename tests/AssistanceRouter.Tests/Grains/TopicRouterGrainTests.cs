using AssistanceRouter.Grains.Routing;

namespace AssistanceRouter.Tests.Grains;

public sealed class TopicRouterGrainTests(RoutingClusterFixture fixture) : IClassFixture<RoutingClusterFixture>
{
    // One routing table per cluster, so each test uses topics of its own.
    private ITopicRouterGrain Router => fixture.Client.GetGrain<ITopicRouterGrain>(0);

    [Fact]
    public async Task The_table_starts_with_the_default_routes()
    {
        var routes = (await Router.GetSnapshot()).Routes;

        Assert.Equal(["slack"], routes.Single(r => r.Topic == "sales").Channels);
        Assert.Equal(["email"], routes.Single(r => r.Topic == "pricing").Channels);
    }

    [Fact]
    public async Task A_route_set_at_runtime_is_used_and_survives_deactivation()
    {
        var set = await Router.SetRoute("Billing", ["Email", "slack", "email"]);
        Assert.Equal(["email", "slack"], set.Route("billing")!.Channels);

        await fixture.Cluster.DeactivateAsync(Router);

        var lookup = (await Router.GetSnapshot()).Resolve("BILLING");
        Assert.Equal(["email", "slack"], lookup.Channels!);
        Assert.Contains((await Router.GetSnapshot()).Routes, r => r.Topic == "billing");
    }

    [Fact]
    public async Task A_removed_route_stays_removed_after_deactivation()
    {
        await Router.SetRoute("returns", ["console"]);

        Assert.NotNull(await Router.RemoveRoute("returns"));
        Assert.Null(await Router.RemoveRoute("returns"));
        await fixture.Cluster.DeactivateAsync(Router);

        Assert.DoesNotContain((await Router.GetSnapshot()).Routes, r => r.Topic == "returns");
    }

    [Fact]
    public async Task A_route_to_an_unknown_channel_is_refused_naming_the_known_ones()
    {
        var result = await Router.SetRoute("support", ["slack", "pager"]);

        Assert.Null(result.Snapshot);
        Assert.Equal(["pager"], result.UnknownChannels);
        Assert.Equal(["console", "email", "slack"], result.KnownChannels);
        Assert.DoesNotContain((await Router.GetSnapshot()).Routes, r => r.Topic == "support");
    }

    [Fact]
    public async Task An_unknown_topic_goes_to_the_fallback_channel()
    {
        var lookup = (await Router.GetSnapshot()).Resolve("weather");

        Assert.Equal(["console"], lookup.Channels!);
    }
}
