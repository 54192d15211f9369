using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>Two in-process silos with the product's grains and persistence, quick to declare a killed silo dead: the failover tests' cluster.</summary>
public static class FailoverCluster
{
    public static async Task<InProcessTestCluster> DeployAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var persistence = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) => silo
            .AddAssistanceRouterGrains()
            .AddAssistanceRouterPersistence(persistence)
            .Configure<ClusterMembershipOptions>(o =>
            {
                // Declare a killed silo dead in a few seconds rather than the default half minute.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            }));
        var cluster = builder.Build();
        await cluster.DeployAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return cluster;
    }
}
