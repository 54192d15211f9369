using System.Net;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Tests.Durability;

/// <summary>
/// Readiness as an orchestrator reads it: an answer within its probe timeout (Kubernetes' default is 1 s) whatever
/// does not answer, a body that names the failing check, and ready again once Redis is back, even empty.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class ReadinessTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private ApiFactory api = null!;
    private bool redisRestarted;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        api = new ApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString + ",connectTimeout=500",
            ["Orleans:ClusterId"] = $"readiness-{Guid.NewGuid():N}",
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            // After Redis came back empty the silo cannot record its own shutdown in the membership table that went
            // with it; Orleans retries that for a minute or more. The host gives up at 5 s, the test at 10 s (DisposeAsync).
            ["shutdownTimeoutSeconds"] = "5",
        });
        _ = api.Server;
    }

    public async Task DisposeAsync()
    {
        try
        {
            // After Redis came back empty the stop took from 5 s to 2 minutes (Orleans retries its membership write past
            // the host's shutdown timeout): past 10 s it goes on in the background, where it ends by itself.
            var stopping = api.DisposeAsync().AsTask();
            await (redisRestarted ? stopping.WaitAsync(TimeSpan.FromSeconds(10)) : stopping);
        }
        catch (Exception ex) when (redisRestarted && ex is OperationCanceledException or TimeoutException)
        {
            // The ungraceful stop above: what readiness says is the point here, not the stop.
        }
        await redis.DisposeAsync();
    }

    [Fact]
    public void Every_readiness_check_gives_up_well_within_a_second()
    {
        var checks = api.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Where(r => r.Tags.Contains("ready")).ToArray();

        Assert.Equal(["cluster", "redis", "storage"], checks.Select(c => c.Name).Order());
        Assert.All(checks, c => Assert.InRange(c.Timeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(800)));
    }

    [Fact]
    public async Task With_Redis_frozen_readiness_is_503_and_names_each_check_that_did_not_answer_in_time()
    {
        Assert.Equal(HttpStatusCode.OK, (await Ready()).Status);

        await redis.PauseAsync();
        var (status, body) = await Ready();
        await redis.ResumeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var check = body.GetProperty("checks").GetProperty("redis");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("within", check.GetProperty("description").GetString()); // it gave up at its timeout
    }

    [Fact]
    public async Task After_Redis_restarts_empty_the_node_is_ready_again()
    {
        Assert.Equal(HttpStatusCode.OK, (await Ready()).Status);

        await redis.RestartAsync(); // nothing persisted: Orleans' membership table is gone too
        redisRestarted = true;

        // With the management grain's host list as the cluster check, this stayed 503 until a silo restarted.
        var ready = await Eventually.Until(Ready, r => r.Status == HttpStatusCode.OK, "the node to be ready again",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250), r => r.Body.GetRawText());
        Assert.All(ready.Body.GetProperty("checks").EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Ready()
    {
        using var response = await api.CreateClient().GetAsync("/health/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
