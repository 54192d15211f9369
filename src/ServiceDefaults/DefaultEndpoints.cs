using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>What every node serves beside its own endpoints, all kept out of the API document.</summary>
public static class DefaultEndpoints
{
    /// <summary>Metrics, and readiness checks for <c>/health/ready</c>: the cluster answers, and so do storage and Redis when it holds the state.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        // prometheus-net republishes every System.Diagnostics.Metrics instrument and .NET event counter by default.
        // Orleans, Kestrel and HttpClient record several measurements on every message and request (5% of the CPU under
        // load went into those leases and label look-ups), and the runtime's come out of the adapters outside Prometheus'
        // conventions (gauges named _total and _count, MB, % and ms units; promtool check metrics refused 13). So /metrics
        // holds the product's series and prometheus-net's own process metrics (process_*, dotnet_*), in Prometheus'
        // conventions; Orleans' figures stay on the dashboard.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true, SuppressDebugMetrics = true });
        builder.Services.AddHostedService<ConfiguredMetricSeries>();
        builder.Services.AddAssistanceRouterHealthChecks(builder.Configuration);
        return builder;
    }

    /// <summary>The Orleans Dashboard at <c>/dashboard</c>, <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAssistanceRouterDashboard();
        endpoints.MapAssistanceRouterHealth();
        // Prometheus text: the product's counters (DeliveryMetrics, RequestMetrics) beside the process's.
        endpoints.MapMetrics("/metrics").ExcludeFromDescription();
        return endpoints;
    }
}
