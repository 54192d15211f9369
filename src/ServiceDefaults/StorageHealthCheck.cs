using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AssistanceRouter.ServiceDefaults;

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
