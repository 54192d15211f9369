using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>Orleans in a node process: a silo with the product's grains, or a client of a cluster; the Dashboard in both.</summary>
public static class OrleansNode
{
    /// <summary>Hosts a silo in this process with everything the product needs.</summary>
    public static IHostApplicationBuilder AddAssistanceRouterSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RoutingTableCache>();
        builder.UseOrleans(silo => silo
            .AddAssistanceRouterGrains()
            .AddAssistanceRouterPersistence(builder.Configuration)
            .AddAssistanceRouterClustering(builder.Configuration)
            .UseClusterTls(builder.Configuration)
            .AddDashboard(DashboardSetup.Options(builder.Configuration)));
        return builder;
    }

    /// <summary>Joins an existing cluster (found through Redis) as a client.</summary>
    public static IHostApplicationBuilder AddAssistanceRouterClient(this IHostApplicationBuilder builder)
    {
        var hosting = AssistanceRouterHosting.HostingOptions(builder.Configuration);
        var redis = AssistanceRouterHosting.RedisConfiguration(builder.Configuration)
            ?? throw new OptionsValidationException(OrleansHostingOptions.Section, typeof(OrleansHostingOptions),
                ["Orleans:Mode=Client needs ConnectionStrings:Redis, where the cluster's silos register (for example localhost:6379)."]);
        builder.Services.AddSingleton<RoutingTableCache>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // The API applies a topic's default escalation policy at acceptance, so it reads the same settings as the silos.
        builder.Services.AddValidatedOptions<EscalationOptions, EscalationOptionsValidator>(EscalationOptions.Section);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (hosting.ClusterId, hosting.ServiceId))
            .UseRedisClustering(o => o.ConfigurationOptions = redis)
            .UseClusterTls(builder.Configuration)
            .AddDashboard(DashboardSetup.Options(builder.Configuration)));
        return builder;
    }
}
