[assembly: HostingStartup(typeof(AssistanceRouter.Bench.BenchmarkHooks))]

namespace AssistanceRouter.Bench;

/// <summary>
/// What only the benchmark measures, added to the nodes it starts and to no shipped one: the bare endpoint (figure 2)
/// and the routing grain's call count (figure 6). An ASP.NET Core hosting startup, run by a node whose environment
/// names this assembly (<see cref="Environment"/>).
/// </summary>
public sealed class BenchmarkHooks : IHostingStartup
{
    /// <summary>
    /// The node's own deps file does not list this assembly, so its host would not find it (the node then logs the
    /// failure and starts without the hooks): the additional deps file, this assembly's, lists it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = typeof(BenchmarkHooks).Assembly.GetName().Name!,
        ["DOTNET_ADDITIONAL_DEPS"] = Path.ChangeExtension(typeof(BenchmarkHooks).Assembly.Location, ".deps.json"),
    };

    public void Configure(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.AddSingleton<IStartupFilter, BareEndpoint>();
        services.AddSingleton<IIncomingGrainCallFilter, RouterCallCounter>();
    });
}
