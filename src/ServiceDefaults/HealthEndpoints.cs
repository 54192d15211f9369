using AssistanceRouter.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>The health endpoints, and the readiness checks behind them.</summary>
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
