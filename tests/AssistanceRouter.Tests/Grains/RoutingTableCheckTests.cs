using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Grains;

/// <summary>When a node starts, it says where the stored routing table and its configuration disagree.</summary>
public sealed class RoutingTableCheckTests
{
    [Fact]
    public void Configured_routes_that_the_stored_table_overrides_are_named_topic_by_topic()
    {
        TopicRoute[] stored = [new("sales", ["console"]), new("pricing", ["email"]), new("refunds", ["slack"])];
        var configured = new Dictionary<string, string[]> { ["Sales"] = ["slack"], ["pricing"] = ["EMAIL"], ["support"] = ["email"] };

        var differences = RoutingTableCheck.ConfigurationDifferences(stored, configured);

        Assert.Equal([
            "'refunds' is stored (slack) but not configured",
            "'sales' is slack in configuration but console in the stored table",
            "'support' is configured (email) but not in the stored table",
        ], differences);
    }

    [Fact]
    public void Stored_routes_to_channels_this_node_lacks_are_found()
    {
        TopicRoute[] stored = [new("sales", ["slack"]), new("ops", ["ops", "slack", "pager"])];

        var missing = RoutingTableCheck.MissingChannels(stored, ["slack", "email", "console"]).ToArray();

        Assert.Equal("ops", Assert.Single(missing).Topic);
        Assert.Equal(["ops", "pager"], missing[0].Missing);
    }

    [Fact]
    public async Task After_a_restart_without_a_routes_channel_the_node_warns_and_GET_topics_marks_the_route()
    {
        var storage = Directory.CreateTempSubdirectory("assistance-router-");
        try
        {
            await using (var before = new ApiFactory(new Dictionary<string, string?>
            {
                ["Storage:Path"] = storage.FullName,
                ["Channels:Ops:Kind"] = "Console",
            }))
            {
                var client = before.CreateClient();
                Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/topics/outages", new { channels = new[] { "ops", "console" } })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/topics/sales", new { channels = new[] { "console" } })).StatusCode);
            }

            await using var after = new ApiFactory(new Dictionary<string, string?> { ["Storage:Path"] = storage.FullName });
            var topics = await after.CreateClient().GetFromJsonAsync<JsonElement[]>("/topics");

            var outages = topics!.Single(t => t.GetProperty("topic").GetString() == "outages");
            Assert.Equal(["ops"], outages.GetProperty("missingChannels").EnumerateArray().Select(c => c.GetString()));
            Assert.Empty(topics!.Single(t => t.GetProperty("topic").GetString() == "sales").GetProperty("missingChannels").EnumerateArray());
            var missing = await after.Logs.WaitForAsync(e => e.Message.Contains("'outages'"));
            Assert.Contains("ops", missing.Message);
            var ignored = await after.Logs.WaitForAsync(e => e.Message.Contains("differs from the stored routing table"));
            Assert.Contains("'sales' is slack in configuration but console in the stored table", ignored.Message);
        }
        finally
        {
            try { storage.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
