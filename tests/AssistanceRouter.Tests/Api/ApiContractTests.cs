using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Api;

/// <summary>
/// The served API document says what the wire says, so that a client generated from it works: every operation is
/// called, with open, taken, resolved and failed requests and every problem the API gives, each answer recorded as
/// the server wrote it and checked against <c>/swagger/v1/swagger.json</c> by Microsoft.OpenApi and JsonSchema.Net
/// (<see cref="ApiDocumentValidator"/>). An endpoint added without being called here, or an answer the document does
/// not declare, fails.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private const string Key = "contract-test-key-0123456789abcdef0123456789";

    /// <summary>Tokens of each client's bucket: far more than the scenario asks for, and few enough to run out of on purpose.</summary>
    private const int Burst = 300;

    private readonly StorageFaults faults = new();
    private readonly AnswerRecorder recorder = new();
    private LoopbackReceiver slack = null!;
    private LoopbackReceiver broken = null!;
    private ContractApiFactory api = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        slack = await LoopbackReceiver.StartAsync();
        broken = await LoopbackReceiver.StartAsync();
        broken.Respond = (_, _) => new Reply(404, "no such hook"); // permanent: the delivery fails at once
        api = new ContractApiFactory(new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = slack.Url.ToString(),
            ["Channels:Slack:RatePerSecond"] = "1000",
            ["Channels:Slack:Burst"] = "100",
            ["Channels:Broken:Kind"] = "Webhook",
            ["Channels:Broken:Url"] = broken.Url.ToString(),
            ["Routing:Topics:sales:0"] = "slack",
            ["Routing:Topics:broken:0"] = "broken",
            ["Routing:MaxTopics"] = "4", // sales, pricing (shipped), broken, and demo below
            ["Api:Keys:0"] = Key,
            ["Api:RateLimit:PermitsPerSecond"] = "0.01",
            ["Api:RateLimit:Burst"] = Burst.ToString(),
        }, faults, recorder);
        http = api.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await api.DisposeAsync();
        await slack.DisposeAsync();
        await broken.DisposeAsync();
    }

    [Fact]
    public async Task Every_answer_of_every_operation_validates_against_the_served_document()
    {
        await UseEveryOperation();

        var validator = ApiDocumentValidator.Read(await (await http.GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync());
        var answers = recorder.Answers.Where(a => !a.Path.StartsWith("/swagger", StringComparison.Ordinal)).ToArray();

        Assert.Equal(OpenApiVersion31, validator.Version);
        var problems = answers.SelectMany(validator.Problems).ToArray();
        Assert.True(problems.Length == 0, $"{problems.Length} of {answers.Length} answers disagree with the document:\n" + string.Join("\n", problems));
        Assert.Equal(validator.Operations.Order(), answers.Select(validator.OperationOf).Distinct().Order()!);
        Assert.Subset(answers.Select(a => a.Status).ToHashSet(), new HashSet<int> { 200, 202, 204, 400, 401, 404, 409, 413, 415, 422, 429, 503 });
    }

    private static readonly Microsoft.OpenApi.OpenApiSpecVersion OpenApiVersion31 = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;

    private async Task UseEveryOperation()
    {
        // An open request, with everything a submission may carry; delivered; taken (via the inbox), given back, taken, resolved.
        var open = await Submit(new { topic = "sales", description = "I need help with my order", conversationUrl = "https://chat.example.test/c/1", metadata = new Dictionary<string, string> { ["customer"] = "c-42" } });
        await Status(HttpStatusCode.OK, http.GetAsync($"/assistance-requests/{open}"));
        await Until(open, r => r.GetProperty("status").GetString() == "Delivered");
        await Status(HttpStatusCode.OK, http.GetAsync("/assistance-requests?status=Open"));
        var taken = await Status(HttpStatusCode.OK, http.PostAsJsonAsync($"/assistance-requests/{open}/acknowledge", new { by = "Alice", via = "inbox" }));
        Assert.Equal("inbox", taken.GetProperty("acknowledgement").GetProperty("via").GetString()); // the contract's words, lower case
        await Status(HttpStatusCode.OK, http.GetAsync($"/assistance-requests/{open}"));
        await Status(HttpStatusCode.OK, http.GetAsync("/assistance-requests?status=Acknowledged&topic=sales&page=1&pageSize=5"));
        await Status(HttpStatusCode.Conflict, http.PostAsJsonAsync($"/assistance-requests/{open}/acknowledge", new { by = "Bob" }));
        await Status(HttpStatusCode.OK, http.PostAsync($"/assistance-requests/{open}/unacknowledge", NoBody.Json()));
        await Status(HttpStatusCode.Conflict, http.PostAsync($"/assistance-requests/{open}/unacknowledge", NoBody.Json()));
        await Status(HttpStatusCode.OK, http.PostAsync($"/assistance-requests/{open}/acknowledge", NoBody.Json()));
        await Status(HttpStatusCode.OK, http.PostAsJsonAsync($"/assistance-requests/{open}/resolve", new { by = "api", note = "done" }));
        await Status(HttpStatusCode.OK, http.PostAsJsonAsync($"/assistance-requests/{open}/resolve", new { by = "api" }));
        await Status(HttpStatusCode.OK, http.GetAsync($"/assistance-requests/{open}"));
        await Status(HttpStatusCode.OK, http.GetAsync("/assistance-requests?status=Resolved"));
        await Status(HttpStatusCode.Conflict, http.PostAsync($"/assistance-requests/{open}/retry", NoBody.Json()));

        // A failed request, tried again.
        var failed = await Submit(new { topic = "broken", description = "Nobody can hear this" });
        await Until(failed, r => r.GetProperty("status").GetString() == "Failed");
        await Status(HttpStatusCode.OK, http.GetAsync("/assistance-requests?status=Failed"));
        await Status(HttpStatusCode.Accepted, http.PostAsync($"/assistance-requests/{failed}/retry", NoBody.Json()));
        await Until(failed, r => r.GetProperty("status").GetString() == "Failed");

        // Idempotency: a replay, and the same key with another body.
        await Submit(new { topic = "sales", description = "once" }, "contract-key-1");
        await Submit(new { topic = "sales", description = "once" }, "contract-key-1");
        await Status(HttpStatusCode.UnprocessableEntity, Post(new { topic = "sales", description = "twice" }, "contract-key-1"));

        // Every way a submission is refused.
        await Status(HttpStatusCode.BadRequest, http.PostAsync("/assistance-requests", Json("{\"topic\": ")));
        await Status(HttpStatusCode.BadRequest, Post(new { description = "no topic" }));
        await Status(HttpStatusCode.BadRequest, Post(new { topic = "nowhere", description = "unknown topic" }));
        await Status(HttpStatusCode.BadRequest, Post(new { topic = "sales", description = "x" }, new string('k', 256)));
        await Status(HttpStatusCode.UnsupportedMediaType, http.PostAsync("/assistance-requests", new StringContent("help", Encoding.UTF8, "text/plain")));
        await Status(HttpStatusCode.RequestEntityTooLarge, Post(new { topic = "sales", description = new string('x', 70 * 1024) }));
        await Status(HttpStatusCode.BadRequest, http.GetAsync("/assistance-requests?status=Pending"));
        await Status(HttpStatusCode.BadRequest, http.GetAsync("/assistance-requests?status=Open&pageSize=0"));
        await Status(HttpStatusCode.NotFound, http.GetAsync($"/assistance-requests/{Guid.NewGuid()}"));

        // People's actions refused.
        await Status(HttpStatusCode.BadRequest, http.PostAsJsonAsync($"/assistance-requests/{failed}/acknowledge", new { by = new string('a', 101) }));
        await Status(HttpStatusCode.BadRequest, http.PostAsJsonAsync($"/assistance-requests/{failed}/resolve", new { note = new string('n', 2001) }));
        await Status(HttpStatusCode.UnsupportedMediaType, http.PostAsync($"/assistance-requests/{failed}/acknowledge", new StringContent("Alice", Encoding.UTF8, "text/plain")));
        await Status(HttpStatusCode.UnsupportedMediaType, http.PostAsync($"/assistance-requests/{failed}/resolve", new StringContent("done", Encoding.UTF8, "text/plain")));
        foreach (var action in new[] { "acknowledge", "unacknowledge", "resolve", "retry" })
            await Status(HttpStatusCode.NotFound, http.PostAsync($"/assistance-requests/{Guid.NewGuid()}/{action}", NoBody.Json()));

        // The routing table, with a topic's own escalation.
        await Status(HttpStatusCode.OK, http.GetAsync("/topics"));
        await Status(HttpStatusCode.OK, http.PutAsJsonAsync("/topics/demo",
            new { channels = new[] { "slack" }, escalation = new { steps = new[] { new { after = "00:05:00", channels = new[] { "broken" } } }, repeat = 1 } }));
        await Status(HttpStatusCode.OK, http.GetAsync("/topics"));
        await Status(HttpStatusCode.OK, http.GetAsync("/topics/demo"));
        await Status(HttpStatusCode.Conflict, http.PutAsJsonAsync("/topics/one-too-many", new { channels = new[] { "slack" } }));
        await Status(HttpStatusCode.BadRequest, http.PutAsJsonAsync("/topics/demo", new { channels = new[] { "pager" } }));
        await Status(HttpStatusCode.UnsupportedMediaType, http.PutAsync("/topics/demo", new StringContent("slack", Encoding.UTF8, "text/plain")));
        await Status(HttpStatusCode.RequestEntityTooLarge, http.PutAsync("/topics/demo", Json($"{{\"channels\": [\"{new string('s', 17 * 1024)}\"]}}")));
        await Status(HttpStatusCode.NoContent, http.DeleteAsync("/topics/demo"));
        await Status(HttpStatusCode.NotFound, http.DeleteAsync("/topics/demo"));
        await Status(HttpStatusCode.NotFound, http.GetAsync("/topics/demo"));

        // Channels.
        await Status(HttpStatusCode.OK, http.GetAsync("/channels"));
        await Status(HttpStatusCode.OK, http.PostAsync("/channels/slack/pause", NoBody.Json()));
        await Status(HttpStatusCode.OK, http.PostAsync("/channels/slack/resume", NoBody.Json()));
        await Status(HttpStatusCode.NotFound, http.PostAsync("/channels/pager/pause", NoBody.Json()));
        await Status(HttpStatusCode.NotFound, http.PostAsync("/channels/pager/resume", NoBody.Json()));

        // No key: 401, until that client has used its bucket up: 429.
        using (var stranger = api.CreateClient())
        {
            await Status(HttpStatusCode.Unauthorized, stranger.GetAsync("/topics"));
            HttpResponseMessage answer;
            var tries = 0;
            do answer = await stranger.GetAsync("/topics");
            while (answer.StatusCode == HttpStatusCode.Unauthorized && ++tries <= Burst);
            Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        }

        // Storage that takes no write: 503, and nothing lost.
        faults.Failing = true;
        await Status(HttpStatusCode.ServiceUnavailable, Post(new { topic = "sales", description = "while the disk is full" }));
        faults.Failing = false;
    }

    private async Task<Guid> Submit(object body, string? idempotencyKey = null) =>
        (await Status(HttpStatusCode.Accepted, Post(body, idempotencyKey))).GetProperty("id").GetGuid();

    private Task<HttpResponseMessage> Post(object body, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/assistance-requests") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) message.Headers.Add("Idempotency-Key", idempotencyKey);
        return http.SendAsync(message);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Status(HttpStatusCode expected, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task Until(Guid id, Func<JsonElement, bool> done) =>
        Eventually.Until(() => Status(HttpStatusCode.OK, http.GetAsync($"/assistance-requests/{id}")), done, $"request {id} to get there",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), view => view.GetRawText());

    /// <summary>The API with every answer recorded, and storage that can be made to refuse writes.</summary>
    private sealed class ContractApiFactory(IDictionary<string, string?> settings, StorageFaults faults, AnswerRecorder recorder) : ApiFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                StorageFaults.Install(services, faults);
                services.AddSingleton<IStartupFilter>(recorder);
            });
        }
    }
}
