using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// A run with real deliveries (a loopback Slack whose URL path is its secret, a signed webhook whose URL has a token in
/// its query, an SMTP server refusing the configured login), a mistyped Slack URL, API keys and link-like paths: no
/// secret appears in any log line at any level, in <c>/channels</c>, in a request's deliveries, or in any dashboard
/// page or API answer; and no customer text appears in a log line at Information or above.
/// </summary>
public sealed class SecretsStayOutTests : IAsyncLifetime
{
    private const string SlackSecret = "T0AAAA/B0BBBB/SlackPathS3cr3t";
    private const string MistypedSecret = "MistypedPathS3cr3t";
    private const string MistypedQuerySecret = "MistypedQueryS3cr3t";
    private const string WebhookQuerySecret = "WebhookQueryS3cr3t";
    private const string WebhookSigningSecret = "whsec_V2ViaG9va1NpZ25pbmdTM2NyM3QtMDEyMzQ1Njc4OQ=="; // "WebhookSigningS3cr3t-0123456789"
    private const string SmtpPassword = "SmtpPasswordS3cr3t";
    private const string ApiKey = "ApiKeyS3cr3t-0123456789abcdef0123456789";
    private const string RequestQuerySecret = "RequestQueryS3cr3t";
    private const string LinkToken = "LinkTokenS3cr3t";
    private const string PersonalText = "PersonalTextOfTheCustomer";

    private static readonly string[] Secrets =
        ["SlackPathS3cr3t", MistypedSecret, MistypedQuerySecret, WebhookQuerySecret, WebhookSigningSecret, SmtpPassword, ApiKey, RequestQuerySecret, LinkToken];

    private readonly LogCapture logs = new();
    private LoopbackReceiver slack = null!;
    private LoopbackReceiver webhook = null!;
    private SmtpSink smtp = null!;
    private RecordingApi api = null!;

    private sealed class RecordingApi(IDictionary<string, string?> settings, LogCapture logs) : ApiFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        }
    }

    public async Task InitializeAsync()
    {
        slack = await LoopbackReceiver.StartAsync();
        webhook = await LoopbackReceiver.StartAsync();
        smtp = await SmtpSink.StartAsync();
        var slackUrl = new Uri(slack.Url, "/services/" + SlackSecret);
        api = new RecordingApi(new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = slackUrl.ToString(),
            ["Channels:Slack:RatePerSecond"] = "100",
            ["Channels:Slack:Burst"] = "10",
            ["Channels:Mistyped:Kind"] = "Slack",
            ["Channels:Mistyped:WebhookUrl"] = $"htps://hooks.example.test/services/{MistypedSecret}?token={MistypedQuerySecret}",
            ["Channels:Hooks:Kind"] = "Webhook",
            ["Channels:Hooks:Url"] = new Uri(webhook.Url, $"/hook?token={WebhookQuerySecret}").ToString(),
            ["Channels:Hooks:Secret"] = WebhookSigningSecret,
            ["Channels:Email:Host"] = "127.0.0.1",
            ["Channels:Email:Port"] = smtp.Port.ToString(),
            ["Channels:Email:From"] = "router@example.test",
            ["Channels:Email:To"] = "team@example.test",
            ["Channels:Email:UseTls"] = "false",
            ["Channels:Email:Username"] = "router",
            ["Channels:Email:Password"] = SmtpPassword,
            ["Routing:Topics:sales:0"] = "slack",
            ["Routing:Topics:sales:1"] = "hooks",
            ["Routing:Topics:sales:2"] = "console",
            ["Routing:Topics:typo:0"] = "mistyped",
            ["Routing:Topics:pricing:0"] = "email",
            ["Api:Keys:0"] = ApiKey,
            // Every category at every level, whatever appsettings.json quiets: a secret must be absent even from Trace.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Orleans"] = "Trace",
            ["Logging:LogLevel:Polly"] = "Trace",
        }, logs);
        _ = api.Server;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await slack.DisposeAsync();
        await webhook.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task No_secret_reaches_a_log_line_a_channel_view_a_request_view_or_the_dashboard()
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var ids = new List<Guid>();
        foreach (var (topic, i) in new[] { "sales", "sales", "typo", "pricing" }.Select((t, i) => (t, i)))
        {
            var response = await client.PostAsJsonAsync("/assistance-requests", new { topic, description = $"{PersonalText} {i}" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Id);
        }
        try
        {
            await slack.WaitForRequestsAsync(2);
            await webhook.WaitForRequestsAsync(2);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Channels: {await client.GetStringAsync("/channels")}");
        }
        Assert.Contains(PersonalText, slack.Requests[0].Body); // the text does go where it is sent
        await client.GetAsync($"/assistance-requests?status=Failed&token={RequestQuerySecret}");
        await client.GetAsync($"/take/{LinkToken}");
        await client.PostAsync($"/take/{LinkToken}", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        var answers = new List<(string Where, string Text)>();
        var pricing = await WaitForAsync(client, ids[3], v => v.Deliveries.Single().Status == DeliveryStatus.Failed);
        Assert.Contains("authentication", pricing.Deliveries.Single().LastError, StringComparison.OrdinalIgnoreCase);
        foreach (var id in ids)
            answers.Add(($"GET /assistance-requests/{id}", await client.GetStringAsync($"/assistance-requests/{id}")));
        var channels = await client.GetStringAsync("/channels");
        answers.Add(("GET /channels", channels));
        Assert.Contains("htps://hooks.example.test/", channels); // the mistyped URL is named by its host
        answers.AddRange(await DashboardAnswers(client));

        var leaks = Secrets.SelectMany(secret => answers.Where(a => a.Text.Contains(secret)).Select(a => $"{secret} in {a.Where}"))
            .Concat(Secrets.SelectMany(secret => logs.Entries.Where(l => l.Text.Contains(secret)).Select(l => $"{secret} in log: {l}")))
            .Concat(logs.Entries.Where(l => l.Level >= LogLevel.Information && l.Text.Contains(PersonalText)).Select(l => $"customer text in log: {l}"))
            .ToArray();
        Assert.True(leaks.Length == 0, string.Join("\n", leaks.Take(20)));
        Assert.Contains(logs.Entries, l => l.Category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal) && l.Text.Contains("/take/…"));
        Assert.Contains(logs.Entries, l => l.Text.Contains("characters") && l.Category.EndsWith("ConsoleSender", StringComparison.Ordinal));
    }

    /// <summary>Every dashboard page and API the dashboard's own pages call, for the grains of this run.</summary>
    private static async Task<List<(string, string)>> DashboardAnswers(HttpClient client)
    {
        var answers = new List<(string, string)>();
        async Task<string> Get(string path)
        {
            var response = await client.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            answers.Add(($"GET {path} ({(int)response.StatusCode})", text));
            return text;
        }
        var counters = await Eventually.Until(async () => JsonDocument.Parse(await Get("/dashboard/DashboardCounters")).RootElement,
            c => c.GetProperty("hosts").GetArrayLength() > 0, "the dashboard's first sample of the cluster (it samples every second)",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        var silo = counters.GetProperty("hosts")[0].GetProperty("siloAddress").GetString()!;
        foreach (var path in new[] { "/dashboard/", "/dashboard/ClusterStats", "/dashboard/Reminders", "/dashboard/GrainTypes",
                     "/dashboard/TopGrainMethods", "/dashboard/LifecycleStages", "/dashboard/Trace", $"/dashboard/SiloProperties/{silo}",
                     $"/dashboard/SiloCounters/{silo}", $"/dashboard/SiloStats/{silo}", $"/dashboard/HistoricalStats/{silo}",
                     $"/dashboard/SiloMetadata/{silo}" })
            await Get(path);
        foreach (var grain in counters.GetProperty("simpleGrainStats").EnumerateArray().Select(g => g.GetProperty("grainType").GetString()!).Distinct())
            await Get($"/dashboard/GrainStats/{Uri.EscapeDataString(grain)}");
        foreach (var channel in new[] { "slack", "mistyped", "hooks", "email" })
            await Get($"/dashboard/GrainState?grainId={channel}&grainType=AssistanceRouter.Grains.Channels.ChannelGrain");
        Assert.Contains(answers, a => a.Item1.StartsWith("GET /dashboard/Trace (403)", StringComparison.Ordinal));
        return answers;
    }

    private static Task<AssistanceRequestView> WaitForAsync(HttpClient client, Guid id, Func<AssistanceRequestView, bool> done) =>
        Eventually.Until(async () => (await client.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", ApiFactory.Json))!,
            done, $"request {id} to get there", TimeSpan.FromSeconds(60), describe: view => JsonSerializer.Serialize(view, ApiFactory.Json));
}
