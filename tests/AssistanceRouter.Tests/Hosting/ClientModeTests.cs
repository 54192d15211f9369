using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Hosting;

/// <summary>An API node in client mode takes submissions, and says so when it is given channel settings, which only the silos read.</summary>
public sealed class ClientModeTests
{
    [Fact]
    public async Task A_client_mode_API_given_a_Slack_URL_warns_that_the_silos_need_it()
    {
        await using var redis = await RedisServer.StartAsync();
        var cluster = $"client-{Guid.NewGuid():N}";
        var shared = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
        };
        await using var silo = new ApiFactory(shared);
        _ = silo.Server;
        await using var client = new ApiFactory(new Dictionary<string, string?>(shared)
        {
            ["Orleans:Mode"] = "Client",
            ["SLACK_WEBHOOK_URL"] = "https://hooks.slack.test/services/secret",
        });
        _ = client.Server;

        var warning = await client.Logs.WaitForAsync(e => e.Message.Contains("Orleans:Mode=Client"));

        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("SLACK_WEBHOOK_URL", warning.Message);
        Assert.Contains("every silo", warning.Message);
        Assert.DoesNotContain("secret", warning.Message);
        Assert.DoesNotContain(silo.Logs.Entries, e => e.Message.Contains("Orleans:Mode=Client"));
        var (accepted, _) = await client.SubmitAsync("sales", "submitted through a client-mode node");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
    }
}
