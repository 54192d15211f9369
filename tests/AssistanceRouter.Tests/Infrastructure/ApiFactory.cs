using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// The real API with its embedded silo (the product's default mode) on free ports, configured as a user would:
/// with configuration keys. Slack is unconfigured unless a test says otherwise, whatever the machine's environment.
/// </summary>
public class ApiFactory(IDictionary<string, string?>? settings) : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo storage = Directory.CreateTempSubdirectory("assistance-router-");

    /// <summary>The product's own wire configuration, so that tests read answers as the API writes them.</summary>
    public static readonly JsonSerializerOptions Json = WireJson.Options;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("SLACK_WEBHOOK_URL", "");
        builder.UseSetting("Storage:Path", storage.FullName);
        builder.UseSetting("Delivery:InitialBackoff", "00:00:00.050");
        builder.UseSetting("Delivery:MaxBackoff", "00:00:00.200");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
        builder.ConfigureTestServices(ShareDashboardAssets);
    }

    /// <summary>
    /// The Orleans Dashboard gzips every file it serves (its own internal <c>EmbeddedAssetProvider</c>) each time a host
    /// starts: a quarter of a second of CPU, and the test run starts over a hundred hosts in this one process (a tenth of
    /// its CPU, measured with perf). They share one, built once; a node started as a process builds its own, as shipped.
    /// </summary>
    private static void ShareDashboardAssets(IServiceCollection services)
    {
        var registered = services.FirstOrDefault(d => d.ServiceType == DashboardAssetsType);
        if (DashboardAssetsType is null || registered is null) return; // a dashboard that builds its files otherwise: nothing to share
        services.Remove(registered);
        services.AddSingleton(DashboardAssetsType, _ => DashboardAssets.Value);
    }

    private static readonly Type? DashboardAssetsType =
        typeof(Orleans.Dashboard.DashboardOptions).Assembly.GetType("Orleans.Dashboard.EmbeddedAssetProvider");

    private static readonly Lazy<object> DashboardAssets = new(() => Activator.CreateInstance(DashboardAssetsType!, nonPublic: true)!);

    /// <summary>Warnings and errors the node logged.</summary>
    public LogCapture Logs { get; } = new(LogLevel.Warning);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { storage.Delete(recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    public Task<(HttpResponseMessage Response, AssistanceRequestView? Request)> SubmitAsync(string topic, string description, string? idempotencyKey = null) =>
        SubmitAsync(new { topic, description }, idempotencyKey);

    /// <summary>Posts <paramref name="body"/> as JSON, as a bot would, with the optional fields it chooses.</summary>
    public async Task<(HttpResponseMessage Response, AssistanceRequestView? Request)> SubmitAsync(object body, string? idempotencyKey = null)
    {
        var client = CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/assistance-requests")
        {
            Content = JsonContent.Create(body),
        };
        if (idempotencyKey is not null) message.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await client.SendAsync(message);
        var view = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<AssistanceRequestView>(Json) : null;
        return (response, view);
    }

    public async Task<AssistanceRequestView> GetAsync(Guid id) =>
        (await CreateClient().GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", Json))!;

    /// <summary>Polls the request until <paramref name="done"/> holds; the view seen last is in the failure message.</summary>
    public Task<AssistanceRequestView> WaitForAsync(Guid id, Func<AssistanceRequestView, bool> done, TimeSpan? timeout = null) =>
        Eventually.Until(() => GetAsync(id), done, $"request {id} to get there", timeout ?? TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(25),
            view => JsonSerializer.Serialize(view, Json));
}

/// <summary>The API as it starts with no configuration: Slack and email unconfigured.</summary>
public sealed class UnconfiguredApiFactory() : ApiFactory(null);
