using System.Net;
using System.Text;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// Every refusal (401, 403, 404, 405, 413, 415, 429) is that status as <c>application/problem+json</c>, whatever the
/// client's <c>Accept</c> says (a browser's <c>text/html</c>, a script's <c>text/plain</c>, XML, anything, nothing), and a
/// client's mistake puts no exception and no error in the log: once a client without JSON in its Accept got a 500.
/// </summary>
public sealed class RefusalAcceptSweepTests
{
    public const string Key = "refusal-sweep-key-0123456789abcdef";

    private static readonly string?[] Accepts = ["text/html", "text/plain", "application/xml", "*/*", null];

    [Fact]
    public async Task Every_refusal_is_its_4xx_as_problem_json_for_every_Accept_and_logs_no_fault()
    {
        await using var open = new UnconfiguredApiFactory();
        await using var keyed = new ApiFactory(new Dictionary<string, string?> { ["Api:Keys:0"] = Key });
        await using var limited = new ApiFactory(new Dictionary<string, string?>
        {
            ["Api:Keys:0"] = Key,
            ["Api:RateLimit:PermitsPerSecond"] = "0.001", // nothing refills within the test
            ["Api:RateLimit:Burst"] = "1",
        });
        using (var first = new HttpRequestMessage(HttpMethod.Get, "/topics")) // the one request the bucket holds
            Assert.Equal(HttpStatusCode.Unauthorized, (await limited.CreateClient().SendAsync(first)).StatusCode);

        var cases = new (ApiFactory Api, HttpStatusCode Status, Func<HttpRequestMessage> Request)[]
        {
            (keyed, HttpStatusCode.Unauthorized, () => new(HttpMethod.Get, "/assistance-requests?status=Open")),
            (keyed, HttpStatusCode.Unauthorized, () => new(HttpMethod.Post, "/channels/slack/pause") { Content = NoBody.Json() }),
            (open, HttpStatusCode.Forbidden, () => CrossSite(new(HttpMethod.Post, "/channels/slack/pause") { Content = NoBody.Json() })),
            (open, HttpStatusCode.NotFound, () => new(HttpMethod.Get, "/nothing-here")),
            (open, HttpStatusCode.NotFound, () => new(HttpMethod.Post, $"/assistance-requests/{Guid.NewGuid()}/resolve") { Content = NoBody.Json() }),
            (open, HttpStatusCode.MethodNotAllowed, () => new(HttpMethod.Delete, "/assistance-requests")),
            (open, HttpStatusCode.RequestEntityTooLarge, () => new(HttpMethod.Post, "/assistance-requests")
            {
                Content = new StringContent($$"""{"topic": "sales", "description": "{{new string('x', 70_000)}}"}""", Encoding.UTF8, "application/json"),
            }),
            (open, HttpStatusCode.UnsupportedMediaType, () => new(HttpMethod.Post, "/assistance-requests") { Content = new StringContent("help", Encoding.UTF8, "text/plain") }),
            (open, HttpStatusCode.UnsupportedMediaType, () => new(HttpMethod.Post, "/channels/slack/pause")),
            (limited, HttpStatusCode.TooManyRequests, () => new(HttpMethod.Get, "/topics")),
        };

        foreach (var accept in Accepts)
            foreach (var (api, status, make) in cases)
            {
                using var request = make();
                if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
                var response = await api.CreateClient().SendAsync(request);
                var what = $"{request.Method} {request.RequestUri} with Accept: {accept ?? "(none)"}";
                Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode}, not {(int)status}");
                await Problems.ReadAsync(response);
            }

        foreach (var api in new[] { open, keyed, limited })
            Assert.DoesNotContain(api.Logs.Entries, e => e.Exception is not null || e.Level >= LogLevel.Error);
    }

    private static HttpRequestMessage CrossSite(HttpRequestMessage request)
    {
        request.Headers.Add("Origin", "http://127.0.0.2:8000");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        return request;
    }
}
