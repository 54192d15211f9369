using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>What every node serves beside its own endpoints, all kept out of the API document.</summary>
public static class DefaultEndpoints
{
    /// <summary>Readiness checks for <c>/health/ready</c>: the cluster answers, and so does Redis when it holds the state.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        // prometheus-net republishes every System.Diagnostics.Metrics instrument by default, and Orleans, Kestrel and
        // HttpClient record several measurements on every message and request: 5% of the CPU under load went into
        // those leases and label look-ups. /metrics keeps the runtime's (GC, threads, memory) beside the product's;
        // Orleans' own figures stay on the dashboard.
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = instrument => instrument.Meter.Name == "System.Runtime");
        builder.Services.AddAssistanceRouterHealthChecks(builder.Configuration);
        return builder;
    }

    /// <summary>The Orleans Dashboard at <c>/dashboard</c>, <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAssistanceRouterDashboard();
        endpoints.MapAssistanceRouterHealth();
        // Prometheus text: the product's counters (DeliveryMetrics) beside the .NET runtime's.
        endpoints.MapMetrics("/metrics").ExcludeFromDescription();
        return endpoints;
    }
}
