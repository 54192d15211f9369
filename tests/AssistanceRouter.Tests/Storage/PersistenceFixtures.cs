using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// A silo configured as the product configures it, whose grain storage, reminder table, request records, channel queues
/// and request lists the tests use directly.
/// </summary>
public abstract class PersistenceFixture : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    public IGrainStorage Storage { get; private set; } = null!;

    public IReminderTable Reminders { get; private set; } = null!;

    public IChannelQueueStore Queues { get; private set; } = null!;

    public IRequestIndex Index { get; private set; } = null!;

    public IRequestStore Requests { get; private set; } = null!;

    protected abstract Task<IDictionary<string, string?>> SettingsAsync();

    protected virtual ISiloBuilder AddPersistence(ISiloBuilder silo, IConfiguration settings) => silo.AddAssistanceRouterPersistence(settings);

    public async Task InitializeAsync()
    {
        var persistence = new ConfigurationBuilder().AddInMemoryCollection(await SettingsAsync()).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => AddPersistence(silo.AddAssistanceRouterGrains(), persistence));
        cluster = builder.Build();
        await cluster.DeployAsync();
        var services = cluster.GetSiloServiceProvider();
        Storage = services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        Reminders = services.GetRequiredService<IReminderTable>();
        Queues = services.GetRequiredService<IChannelQueueStore>();
        Index = services.GetRequiredService<IRequestIndex>();
        Requests = services.GetRequiredService<IRequestStore>();
    }

    public virtual async Task DisposeAsync() => await cluster.DisposeAsync();
}

public sealed class SqlitePersistenceFixture : PersistenceFixture
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("assistance-router-sqlite-");

    protected override Task<IDictionary<string, string?>> SettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?> { ["Storage:Path"] = directory.FullName });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { directory.Delete(recursive: true); } catch (IOException) { }
    }
}

public sealed class RedisPersistenceFixture : PersistenceFixture
{
    /// <summary>This fixture's own server, which a test may stop.</summary>
    public RedisServer Redis { get; private set; } = null!;

    protected override async Task<IDictionary<string, string?>> SettingsAsync()
    {
        Redis = await RedisServer.StartAsync();
        return new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = Redis.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>The memory persistence tests on memory storage use (<see cref="MemoryPersistence"/>).</summary>
public sealed class MemoryPersistenceFixture : PersistenceFixture
{
    protected override Task<IDictionary<string, string?>> SettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());

    protected override ISiloBuilder AddPersistence(ISiloBuilder silo, IConfiguration settings) => silo.AddAssistanceRouterMemoryPersistence();
}
