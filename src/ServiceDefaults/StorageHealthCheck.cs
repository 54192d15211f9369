using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// Ready when this node's storage takes a write in time (<see cref="HealthEndpoints.CheckTimeout"/>): a probe entry
/// written to a queue no channel uses, and removed. A full disk or a Redis that does not answer makes the node
/// unready, so that a load balancer stops sending it what it could only refuse. An API in client mode has no storage
/// of its own: its silos report theirs.
/// </summary>
public sealed class StorageHealthCheck(IServiceProvider services, TimeProvider time) : IHealthCheck
{
    private const string ProbeQueue = "@readiness";

    private readonly string probeId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IChannelQueueStore>() is not { } store) return HealthCheckResult.Healthy("no storage on this node");
        try
        {
            await Probe(store).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("storage takes writes");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy(
                cancellationToken.IsCancellationRequested ? $"storage does not take a write within {HealthEndpoints.CheckTimeout.TotalSeconds:0.##} s" : "storage refuses a write", ex);
        }
    }

    private async Task Probe(IChannelQueueStore store)
    {
        var now = time.GetUtcNow();
        await store.PutAsync(ProbeQueue, [new StoredNotice(probeId, now, now, [])]);
        await store.RemoveAsync(ProbeQueue, [probeId]);
    }
}
