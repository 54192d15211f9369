using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
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
        var health = services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
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

/// <summary>
/// Ready when this node's storage takes a write within a second: a probe entry written to a queue no channel uses,
/// and removed. A full disk or a Redis that does not answer makes the node unready, so that a load balancer stops
/// sending it what it could only refuse. An API in client mode has no storage of its own: its silos report theirs.
/// </summary>
public sealed class StorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    private const string ProbeQueue = "@readiness";

    private readonly string probeId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IChannelQueueStore>() is not { } store) return HealthCheckResult.Healthy("no storage on this node");
        try
        {
            var now = DateTimeOffset.UtcNow;
            await store.PutAsync(ProbeQueue, [new StoredNotice(probeId, now, now, [])]).WaitAsync(Limit, cancellationToken);
            await store.RemoveAsync(ProbeQueue, [probeId]).WaitAsync(Limit, cancellationToken);
            return HealthCheckResult.Healthy("storage takes writes");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"storage does not take a write within {Limit.TotalSeconds:0.#} s", ex);
        }
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
