using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>Ready when Redis, which holds membership, state and reminders, answers a PING in time (<see cref="HealthEndpoints.CheckTimeout"/>).</summary>
public sealed class RedisHealthCheck(IConfiguration configuration) : IHealthCheck, IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> connection = new(() =>
    {
        var options = AssistanceRouterHosting.RedisConfiguration(configuration)!;
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.ConnectAsync(options);
    });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Connecting (the first time) and the PING both give up when the check's time is up.
            var redis = await connection.Value.WaitAsync(cancellationToken);
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy(
                cancellationToken.IsCancellationRequested ? $"Redis does not answer within {HealthEndpoints.CheckTimeout.TotalSeconds:0.##} s" : "Redis does not answer", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection.IsValueCreated) await (await connection.Value).DisposeAsync();
    }
}
