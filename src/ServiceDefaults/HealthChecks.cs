using AssistanceRouter.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;
using Orleans.Runtime;
using StackExchange.Redis;

namespace AssistanceRouter.ServiceDefaults;

public static class HealthEndpoints
{
    /// <summary>Readiness: the cluster answers, and so does Redis when it holds the state.</summary>
    public static IServiceCollection AddAssistanceRouterHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var health = services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
        if (AssistanceRouterHosting.RedisConfiguration(configuration) is not null)
        {
            services.AddSingleton<RedisHealthCheck>(); // one connection, not one per check
            health.AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        }
        return services;
    }

    /// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c>, kept out of the API document.</summary>
    public static IEndpointRouteBuilder MapAssistanceRouterHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false }).ExcludeFromDescription();
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).ExcludeFromDescription();
        return endpoints;
    }
}

/// <summary>Ready when at least one silo of the cluster answers.</summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("no active silo");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the cluster does not answer", ex);
        }
    }
}

/// <summary>Ready when Redis, which holds membership, state and reminders, answers a PING.</summary>
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
            var redis = await connection.Value;
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection.IsValueCreated) await (await connection.Value).DisposeAsync();
    }
}
