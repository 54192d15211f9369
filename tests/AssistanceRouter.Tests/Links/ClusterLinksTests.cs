using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Links;

/// <summary>
/// A cluster as deployed: Redis, a silo process that sends the notices, and two API nodes in client mode. The silo's
/// links point at <c>Api__PublicUrl</c> and every API node accepts them (one key, made once, in Redis); a browser's
/// sign-in cookie made by one API node opens the other (one key ring, in Redis).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed partial class ClusterLinksTests : IAsyncLifetime
{
    private const string ApiKey = "cluster-links-key-0123456789abcdef0123456789";
    private RedisServer redis = null!;
    private LoopbackReceiver slack = null!;
    private NodeProcess silo = null!, first = null!, second = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        slack = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Orleans__ClusterId"] = $"links-{Guid.NewGuid():N}",
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
            ["Channels__Slack__WebhookUrl"] = slack.Url.ToString(),
            ["Routing__Topics__sales__0"] = "slack",
            ["Api__PublicUrl"] = "https://help.example.test/",
            ["Api__Keys__0"] = ApiKey,
        };
        silo = new NodeProcess(new Dictionary<string, string>(settings), NodeProcess.Silo);
        first = new NodeProcess(new Dictionary<string, string>(settings) { ["Orleans__Mode"] = "Client" });
        second = new NodeProcess(new Dictionary<string, string>(settings) { ["Orleans__Mode"] = "Client" });
        await silo.StartAsync(TimeSpan.FromSeconds(120));
        await Task.WhenAll(first.StartAsync(TimeSpan.FromSeconds(120)), second.StartAsync(TimeSpan.FromSeconds(120)));
        foreach (var node in new[] { first, second }) node.Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { second, first, silo }) if (node is not null) await node.DisposeAsync();
        if (slack is not null) await slack.DisposeAsync();
        if (redis is not null) await redis.DisposeAsync();
    }

    [Fact]
    public async Task The_silo_links_to_the_public_url_and_any_API_node_opens_the_link_and_any_node_honours_a_sign_in()
    {
        var submitted = await first.Http.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = "Cluster link" });
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());
        var request = (await submitted.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;

        var message = await Eventually.Until(() => slack.Requests.FirstOrDefault(r => r.Body.Contains(request.Id.ToString(), StringComparison.Ordinal)),
            found => found is not null, "Slack to get the request", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100),
            _ => $"{slack.Requests.Count} messages of other requests");
        var blocks = System.Text.Json.JsonDocument.Parse(message!.Body).RootElement.GetProperty("blocks").EnumerateArray()
            .Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetProperty("text").GetString());
        var url = TakeLink().Match(string.Join("\n", blocks)).Groups[1].Value;
        Assert.StartsWith("https://help.example.test/take/", url);
        var path = new Uri(url).AbsolutePath;

        // Neither API node made the link; both know the cluster's key. No key needed for a link page.
        using var browser = new HttpClient();
        foreach (var node in new[] { first, second })
        {
            var page = await browser.GetAsync(new Uri(node.Url, path));
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode}: {await page.Content.ReadAsStringAsync()}\n{node.Output}");
            Assert.Contains("Cluster link", await page.Content.ReadAsStringAsync());
        }

        // Signed in on the first node; the second opens its inbox with the same cookie.
        using var cookies = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var signin = await cookies.GetAsync(new Uri(first.Url, "/signin"));
        var antiforgery = string.Join("; ", signin.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = FormToken().Match(await signin.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(first.Url, "/signin"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["key"] = ApiKey, ["returnUrl"] = "/inbox" }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var signedIn = await cookies.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("AssistanceRouter.SignIn=", StringComparison.Ordinal)).Split(';')[0];

        using var inbox = new HttpRequestMessage(HttpMethod.Get, new Uri(second.Url, "/inbox/requests"));
        inbox.Headers.Add("Cookie", session);
        Assert.Equal(HttpStatusCode.OK, (await cookies.SendAsync(inbox)).StatusCode);
        using var stranger = new HttpRequestMessage(HttpMethod.Get, new Uri(second.Url, "/inbox/requests"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookies.SendAsync(stranger)).StatusCode);
    }

    [GeneratedRegex(@"<(https://help\.example\.test/take/[^|>]+)\|Take it>")]
    private static partial Regex TakeLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
