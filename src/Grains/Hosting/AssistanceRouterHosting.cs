using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Keys;
using AssistanceRouter.Grains.Links;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>
/// The silo's configuration, written once: used by <c>src/Silo</c>, by the API's embedded mode, and (in parts) by tests.
/// Redis when <c>ConnectionStrings:Redis</c> is set; otherwise a single node on this machine.
/// </summary>
public static class AssistanceRouterHosting
{
    public const string RedisConnectionName = "Redis";

    public const string DefaultStoragePath = "./data";

    /// <summary>Grain locations each silo caches: enough for the requests of the last few seconds under load.</summary>
    public const int DirectoryCacheSize = 10_000;

    /// <summary>The grains' own services: channel kinds and catalog, routing and delivery options, how state is serialized, time.</summary>
    public static ISiloBuilder AddAssistanceRouterGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddChannelKinds();
        services.AddDeliveryMetrics();
        services.TryAddSingleton<ChannelCatalog>();
        services.TryAddSingleton<ChannelSenders>();
        services.AddValidatedOptions<ChannelOptions, ChannelOptionsValidator>(ChannelOptions.Section);
        services.AddValidatedOptions<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.Section);
        services.AddValidatedOptions<RoutingOptions, RoutingOptionsValidator>(RoutingOptions.Section);
        services.AddValidatedOptions<EscalationOptions, EscalationOptionsValidator>(EscalationOptions.Section);
        services.AddValidatedOptions<EventsOptions, EventsOptionsValidator>(EventsOptions.Section);
        services.AddOptions<NoticesOptions>().BindConfiguration(NoticesOptions.Section).ValidateOnStart(); // two switches: the binder checks them
        silo.AddStartupTask<RoutingTableCheck>();
        services.TryAddSingleton<EventsChannel>();
        services.TryAddSingleton<RequestMetrics>();
        services.TryAddSingleton<NewRequestIds>();
        // How the grains' state is written belongs to the grains, not to a store: the tests' memory storage writes it
        // as Redis and SQLite do (with Orleans' JSON default it once hid a bug that only JSON could cause).
        services.AddSingleton<IGrainStorageSerializer>(StateSerializer);
        services.AddHostedService<OpenRequestsGauge>();
        services.AddRequestChanges();
        services.AddTakeLinks();
        services.TryAddSingleton<Installation>(); // the installation's part of every id the senders send
        services.AddOptions<ReminderOptions>().Configure<IOptions<EscalationOptions>>((reminders, escalation) =>
            reminders.MinimumReminderPeriod = TimeSpan.FromTicks(Math.Min(reminders.MinimumReminderPeriod.Ticks, escalation.Value.ReminderPeriod.Ticks)));
        silo.AddStartupTask<ChannelWaker>();
        services.AddHostedService(sp => sp.GetRequiredService<ChannelWaker>());
        services.TryAddSingleton<ChannelWaker>();
        // Each request is a grain of its own, called a few times within seconds and then deactivated. Orleans' default
        // directory cache holds a million locations, about 350 B each, and its size gauge walks all of it every second:
        // with one grain per request that is memory and CPU growing with traffic. Orleans:GrainDirectory:CacheSize overrides.
        services.AddOptions<GrainDirectoryOptions>().Configure(o => o.CacheSize = DirectoryCacheSize).BindConfiguration("Orleans:GrainDirectory");
        return silo;
    }

    /// <summary>
    /// Grain state, reminders, the request records, the channels' queues and the request lists: Redis when <c>ConnectionStrings:Redis</c>
    /// is set (a cluster), else a SQLite file under <c>Storage:Path</c> (a single node that keeps everything across
    /// restarts with nothing to install).
    /// </summary>
    public static ISiloBuilder AddAssistanceRouterPersistence(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (RedisConfiguration(configuration) is { } redis)
        {
            silo.AddRedisGrainStorageAsDefault(o => o.ConfigurationOptions = redis);
            silo.UseRedisReminderService(o => o.ConfigurationOptions = redis);
            silo.Services.AddSingleton(_ => new RedisStoreConnection(redis, HostingOptions(configuration).ServiceId));
            silo.Services.AddSingleton<IChannelQueueStore>(services => new GroupedChannelQueueStore(ActivatorUtilities.CreateInstance<RedisChannelQueueStore>(services)));
            silo.Services.AddSingleton<IRequestIndex, RedisRequestIndex>();
            // Records sit where Orleans' Redis grain storage keeps state: under the cluster's ServiceId, as it reads it.
            silo.Services.AddSingleton<IRequestStore>(services => new RedisRequestStore(
                services.GetRequiredService<RedisStoreConnection>(), services.GetRequiredService<IGrainStorageSerializer>(),
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
            return silo;
        }
        var path = configuration["Storage:Path"] is { Length: > 0 } configured ? configured : DefaultStoragePath;
        silo.Services.AddSingleton(_ => new SqliteDatabase(path));
        silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (services, _) =>
            new SqliteGrainStorage(services.GetRequiredService<SqliteDatabase>(), services.GetRequiredService<IGrainStorageSerializer>()));
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        silo.Services.AddSingleton<IChannelQueueStore>(services => new GroupedChannelQueueStore(ActivatorUtilities.CreateInstance<SqliteChannelQueueStore>(services)));
        silo.Services.AddSingleton<IRequestIndex, SqliteRequestIndex>();
        silo.Services.AddSingleton<IRequestStore, SqliteRequestStore>();
        return silo;
    }

    /// <summary>
    /// Grain state is written with the Orleans binary serializer: Orleans' default (Newtonsoft JSON with type names)
    /// took half the CPU time of every state write under load. State written as JSON by earlier versions still reads.
    /// </summary>
    private static GrainStorageSerializer StateSerializer(IServiceProvider services) => new(
        new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), LegacyJsonState.Reader(services));

    /// <summary>Cluster membership and endpoints: Redis when configured, else this machine alone.</summary>
    public static ISiloBuilder AddAssistanceRouterClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var hosting = HostingOptions(configuration);
        if (RedisConfiguration(configuration) is { } redis)
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (hosting.ClusterId, hosting.ServiceId));
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis);
            // How fast a dead silo is noticed: Orleans' defaults unless Orleans:Membership says otherwise.
            silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
            // Listening on the advertised address only, unless asked: the silo and gateway ports trust whoever connects (see Orleans:Tls).
            if (hosting.AdvertisedAddress is { } address)
                silo.ConfigureEndpoints(address, hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: hosting.ListenOnAnyHostAddress);
            else
                silo.ConfigureEndpoints(hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: hosting.ListenOnAnyHostAddress);
        }
        else
        {
            silo.UseLocalhostClustering(hosting.SiloPort, hosting.GatewayPort, serviceId: hosting.ServiceId, clusterId: hosting.ClusterId);
        }
        return silo;
    }

    /// <summary>
    /// The <c>Orleans</c> section, read while the host is being built (it decides what is built), so checked at once
    /// by the same validator rather than on start.
    /// </summary>
    public static OrleansHostingOptions HostingOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(OrleansHostingOptions.Section).Get<OrleansHostingOptions>() ?? new();
        if (new OrleansHostingOptionsValidator().Validate(null, options) is { Failed: true } result)
            throw new OptionsValidationException(OrleansHostingOptions.Section, typeof(OrleansHostingOptions), result.Failures);
        return options;
    }

    /// <summary>Redis's timeouts unless the connection string sets its own, in milliseconds.</summary>
    public const int RedisTimeout = 1000;

    /// <summary>
    /// <c>ConnectionStrings:Redis</c>, with timeouts of a second: a write that cannot reach Redis fails fast enough for
    /// the API to answer 503 and the bot to retry, rather than after StackExchange.Redis's default of five seconds.
    /// </summary>
    public static ConfigurationOptions? RedisConfiguration(IConfiguration configuration)
    {
        if (configuration.GetConnectionString(RedisConnectionName) is not { Length: > 0 } connection) return null;
        var options = ConfigurationOptions.Parse(connection);
        if (!connection.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) options.AsyncTimeout = RedisTimeout;
        if (!connection.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase)) options.SyncTimeout = RedisTimeout;
        // Replies are read on the .NET thread pool rather than on StackExchange.Redis's own socket threads, which handed
        // every reply to the pool again: one thread switch less per command. Measured (docs/benchmark-history.md): 538 -> 380-430 µs
        // of CPU per accepted request, 2,400 -> 3,000-3,300 accepted/s.
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
