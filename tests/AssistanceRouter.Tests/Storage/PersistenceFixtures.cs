using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AssistanceRouter.Tests.Storage;

/// <summary>A silo configured as the product configures it, whose grain storage and reminder table the tests use directly.</summary>
public abstract class PersistenceFixture : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    public IGrainStorage Storage { get; private set; } = null!;

    public IReminderTable Reminders { get; private set; } = null!;

    protected abstract Task<IDictionary<string, string?>> SettingsAsync();

    public async Task InitializeAsync()
    {
        var persistence = new ConfigurationBuilder().AddInMemoryCollection(await SettingsAsync()).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddAssistanceRouterGrains().AddAssistanceRouterPersistence(persistence));
        cluster = builder.Build();
        await cluster.DeployAsync();
        var services = cluster.GetSiloServiceProvider();
        Storage = services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        Reminders = services.GetRequiredService<IReminderTable>();
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
    private RedisServer redis = null!;

    protected override async Task<IDictionary<string, string?>> SettingsAsync()
    {
        redis = await RedisServer.StartAsync();
        return new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await redis.DisposeAsync();
    }
}
