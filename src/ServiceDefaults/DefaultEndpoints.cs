using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>What every node serves beside its own endpoints, all kept out of the API document.</summary>
public static class DefaultEndpoints
{
    /// <summary>Readiness checks for <c>/health/ready</c>: the cluster answers, and so does Redis when it holds the state.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAssistanceRouterHealthChecks(builder.Configuration);
        return builder;
    }

    /// <summary>The Orleans Dashboard at <c>/dashboard</c>, <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAssistanceRouterDashboard();
        endpoints.MapAssistanceRouterHealth();
        // Prometheus text: the product's counters (DeliveryMetrics) beside the .NET and Orleans metrics.
        endpoints.MapMetrics("/metrics").ExcludeFromDescription();
        return endpoints;
    }
}
