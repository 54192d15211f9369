using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AssistanceRouter.Tests.Browser;

/// <summary>
/// The product as people run it, a real process on a real Kestrel port (a browser cannot reach the in-memory test
/// server), with an API key set and Slack pointed at a loopback receiver; and Debian's Chromium driven by Playwright.
/// One node and one browser for every browser test: each test opens its own browser context (its own cookies and
/// storage) and its own requests.
/// </summary>
public sealed partial class BrowserFixture : IAsyncLifetime
{
    public const string ApiKey = "browser-tests-key-0123456789-abcd";

    /// <summary>Debian's Chromium unless <c>CHROMIUM_PATH</c> names another; Playwright's own download is never used.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// Generous: a 2-core machine running the whole suite (and other work) may take long to serve a page, and each wait
    /// ends as soon as what it waits for holds. Once in a loaded run a sign-in took more than 30 s to reach the inbox.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public LoopbackReceiver Slack { get; private set; } = null!;
    public NodeProcess Node { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public Uri Url => Node.Url;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No browser at {ChromiumPath}: install Debian's chromium (./test.sh does), or set CHROMIUM_PATH.");
        Slack = await LoopbackReceiver.StartAsync();
        Node = new NodeProcess(new Dictionary<string, string>
        {
            ["Channels__Slack__WebhookUrl"] = Slack.Url.ToString(),
            ["Routing__Topics__sales__0"] = "slack",
            ["Routing__Topics__support__0"] = "slack",
            ["Api__Keys__0"] = ApiKey,
            ["Escalation__RenotifyAfter"] = "00:00:00",
            // Everything the product itself logs, at every level, and one line per request, so that a test can look for a token in them.
            ["Logging__LogLevel__AssistanceRouter"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore.HttpLogging"] = "Information",
        });
        await Node.StartAsync(TimeSpan.FromSeconds(120));
        Api = new HttpClient { BaseAddress = Node.Url, Timeout = Patience };
        Api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        // Expect(...) waits 5 s unless told: the same patience as every other wait here, for every assertion.
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // Playwright gives every launch a fresh profile (its own --user-data-dir); the rest keeps Chromium from calling home.
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        Api?.Dispose();
        if (Node is not null) await Node.DisposeAsync();
        if (Slack is not null) await Slack.DisposeAsync();
    }

    /// <summary>A browser context of its own (cookies, local storage) that resolves relative URLs against the node.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900, bool isMobile = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = Url.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            IsMobile = isMobile,
            HasTouch = isMobile,
            DeviceScaleFactor = isMobile ? 2 : 1,
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        return context;
    }

    /// <summary>A context already signed in at <c>/signin</c> with the API key, as a person would.</summary>
    public async Task<IBrowserContext> SignedInContextAsync(int width = 1280, int height = 900, bool isMobile = false)
    {
        var context = await NewContextAsync(width, height, isMobile);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("API key").FillAsync(ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await AtAsync(page, "/inbox");
        }
        catch (PlaywrightException timeout) // Expect(...) fails with a PlaywrightException, of which Playwright's TimeoutException is one
        {
            // Once in a full CI run (never alone, nor beside two busy loops) the sign-in did not reach the inbox in 30 s:
            // say where the browser was and what it showed, so that the next failure explains itself.
            throw new TimeoutException($"Signing in did not reach /inbox; the browser was at {page.Url} showing: {await page.InnerTextAsync("body")}", timeout);
        }
        await page.CloseAsync();
        return context;
    }

    /// <summary>
    /// Waits until the page's address ends with <paramref name="end"/> (a path, a query), by looking again and again, as
    /// every Expect(...) does; only the address, not the page and its scripts: what a test checks next waits for itself.
    /// Not WaitForURLAsync with WaitUntil Commit: when the navigation is over before it is called, it waits for a "commit"
    /// load state that never comes (a CI run failed so at 90 s; set up before the click, it can still miss a navigation).
    /// </summary>
    public static Task AtAsync(IPage page, string end) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(end) + "$"));

    public async Task<AssistanceRequestView> SubmitAsync(string topic, string description, string? conversationUrl = null)
    {
        var response = await Api.PostAsJsonAsync("/assistance-requests", new { topic, description, conversationUrl });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
    }

    /// <summary>How many requests nobody has taken, as the API counts them.</summary>
    public async Task<long> OpenCountAsync() =>
        (await Api.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Open&pageSize=1")).GetProperty("total").GetInt64();

    public async Task<AssistanceRequestView> GetAsync(Guid id) =>
        (await Api.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", ApiFactory.Json))!;

    /// <summary>Polls the request until <paramref name="done"/> holds.</summary>
    public Task<AssistanceRequestView> WaitForAsync(Guid id, Func<AssistanceRequestView, bool> done) =>
        Eventually.Until(() => GetAsync(id), done, $"request {id} to get there", Patience, TimeSpan.FromMilliseconds(100),
            view => JsonSerializer.Serialize(view, ApiFactory.Json));

    /// <summary>The Slack message of a request as Slack got it, and the "Take it" link in it.</summary>
    public async Task<(JsonElement Message, string TakeUrl)> SlackMessageAsync(Guid id)
    {
        var received = await Eventually.Until(() => Slack.Requests.FirstOrDefault(r => r.Body.Contains(id.ToString(), StringComparison.Ordinal)),
            found => found is not null, $"Slack to get request {id}", Patience, TimeSpan.FromMilliseconds(100), _ => $"{Slack.Requests.Count} messages of other requests");
        var message = JsonDocument.Parse(received!.Body).RootElement;
        var texts = message.GetProperty("blocks").EnumerateArray()
            .Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetProperty("text").GetString()!);
        var take = texts.Select(t => TakeLink().Match(t)).First(m => m.Success);
        return (message, take.Groups["url"].Value);
    }

    [GeneratedRegex(@"<(?<url>[^|>]+/take/[^|>]+)\|Take it>")]
    private static partial Regex TakeLink();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
