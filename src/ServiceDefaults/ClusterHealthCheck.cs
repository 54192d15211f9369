using AssistanceRouter.Grains.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// Ready when the cluster answers a grain call in time (<see cref="HealthEndpoints.CheckTimeout"/>): the routing
/// table, which every submission reads, from whichever silo holds it. Not Orleans' management grain: its host list
/// re-reads Orleans' membership table, which Orleans' Redis clustering creates only when a silo starts, so after Redis
/// came back empty every readiness check failed ("the membership table version is missing") while the silos served
/// every request, until a silo was restarted.
/// </summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var table = await cluster.GetGrain<ITopicRouterGrain>(0).GetSnapshot().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"the cluster answers (routing table version {table.Version})");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy(
                cancellationToken.IsCancellationRequested ? $"the cluster does not answer within {HealthEndpoints.CheckTimeout.TotalSeconds:0.##} s" : "the cluster does not answer", ex);
        }
    }
}
