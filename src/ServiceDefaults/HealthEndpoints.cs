using System.Text.Json;
using AssistanceRouter.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>The health endpoints, and the readiness checks behind them.</summary>
public static class HealthEndpoints
{
    /// <summary>
    /// How long each readiness check may take: the checks run side by side, so <c>/health/ready</c> answers within
    /// about this long whatever does not answer, inside Kubernetes' default probe timeout of 1 s.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromMilliseconds(750);

    public const string ReadyTag = "ready";

    /// <summary>Readiness: the cluster answers, this node's storage takes a write, and Redis answers when it holds the state.</summary>
    public static IServiceCollection AddAssistanceRouterHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var health = services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag], timeout: CheckTimeout);
        if (AssistanceRouterHosting.RedisConfiguration(configuration) is not null)
        {
            services.AddSingleton<RedisHealthCheck>(); // one connection, not one per check
            health.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag], timeout: CheckTimeout);
        }
        return services;
    }

    /// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c>, kept out of the API document.</summary>
    public static IEndpointRouteBuilder MapAssistanceRouterHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = WriteAsync }).ExcludeFromDescription();
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// The overall status and each check's, by name, with what it saw: an operator reading a 503 learns which part is
    /// down. Descriptions only: an exception's message could carry a connection string.
    /// </summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, WireJson.Options));
    }
}
