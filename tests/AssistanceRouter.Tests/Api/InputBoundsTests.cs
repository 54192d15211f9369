using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

/// <summary>
/// Nothing a client sends makes an answer, the routing table or the metrics grow without bound, and odd encodings,
/// repeated properties and huge numbers are refused with a 4xx that says why.
/// </summary>
public sealed class InputBoundsTests(InputBoundsTests.SmallTableApi api) : IClassFixture<InputBoundsTests.SmallTableApi>
{
    public const int MaxTopics = 30;

    public sealed class SmallTableApi() : ApiFactory(new Dictionary<string, string?> { ["Routing:MaxTopics"] = MaxTopics.ToString() });

    private readonly HttpClient client = api.CreateClient();

    private Task<HttpResponseMessage> Post(string body, string contentType = "application/json") =>
        client.PostAsync("/assistance-requests", new StringContent(body, Encoding.UTF8).WithType(contentType));

    private Task<HttpResponseMessage> PostBytes(byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync("/assistance-requests", content);
    }

    [Fact]
    public async Task The_table_holds_at_most_MaxTopics_and_an_unknown_topic_answer_stays_small_whatever_it_holds()
    {
        for (var i = 0; ; i++)
        {
            var name = $"{i:D3}-" + new string('t', 60);
            var put = await client.PutAsJsonAsync($"/topics/{name}", new { channels = new[] { "console" } });
            if (put.StatusCode == HttpStatusCode.Conflict)
            {
                Assert.Contains("Routing__MaxTopics", (await Problems.ReadAsync(put)).Detail);
                break;
            }
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.True(i < MaxTopics, "the table took more topics than Routing:MaxTopics");
        }
        Assert.Equal(MaxTopics, (await client.GetFromJsonAsync<JsonElement[]>("/topics"))!.Length);
        // A topic already there can still be changed.
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/topics/sales", new { channels = new[] { "console", "slack" } })).StatusCode);

        var response = await Post(JsonSerializer.Serialize(new { topic = new string('w', 64), description = "help" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.Length < 8 * 1024, $"the answer has {body.Length} bytes");
        Assert.Contains("more (GET /topics lists them all)", Encoding.UTF8.GetString(body));
    }

    [Theory]
    [InlineData("\u212Aelvin")] // the Kelvin sign, which Unicode case folding makes 'k'
    [InlineData("caf\u00e9")]
    [InlineData("s\u0430les")] // a Cyrillic 'а'
    [InlineData("sales!")]
    [InlineData("-sales")]
    public async Task A_topic_outside_the_rule_is_refused_on_submission_and_in_the_table(string topic)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/topics/kelvin", new { channels = new[] { "console" } })).StatusCode);

        var submitted = await Post(JsonSerializer.Serialize(new { topic, description = "help" }));
        var put = await client.PutAsJsonAsync($"/topics/{Uri.EscapeDataString(topic)}", new { channels = new[] { "console" } });

        Assert.Equal(HttpStatusCode.BadRequest, submitted.StatusCode);
        Assert.Contains("not a valid topic name", (await Problems.ReadAsync(submitted)).Detail);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Fact]
    public async Task A_huge_topic_is_refused_and_echoed_only_in_part()
    {
        var response = await Post(JsonSerializer.Serialize(new { topic = new string('x', 20_000), description = "help" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < 2048);
    }

    [Fact]
    public async Task A_route_naming_too_many_or_too_long_channels_is_refused()
    {
        var many = await client.PutAsJsonAsync("/topics/wide", new { channels = Enumerable.Repeat("console", 21) });
        var longName = await client.PutAsJsonAsync("/topics/wide", new { channels = new[] { new string('c', 10_000) } });

        Assert.Contains("at most 20", (await Problems.ReadAsync(many)).Detail);
        var problem = await Problems.ReadAsync(longName);
        Assert.Equal(400, problem.Status);
        Assert.True(problem.Detail.Length < 300);
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    public async Task A_charset_other_than_UTF8_is_refused_with_415(string contentType)
    {
        var response = await PostBytes(Encoding.Latin1.GetBytes("""{"topic": "sales", "description": "caf\u00e9"}"""), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("UTF-8", (await Problems.ReadAsync(response)).Detail);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF8")]
    public async Task UTF8_named_either_way_is_accepted(string contentType)
    {
        var response = await PostBytes(Encoding.UTF8.GetBytes("""{"topic": "sales", "description": "caf\u00e9"}"""), contentType);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_UTF8_is_refused_saying_so()
    {
        var body = Encoding.UTF8.GetBytes("""{"topic": "sales", "description": "caf_"}""");
        body[Array.IndexOf(body, (byte)'_')] = 0xE9; // Latin-1 'é' alone is not UTF-8

        var response = await PostBytes(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", (await Problems.ReadAsync(response)).Detail);
    }

    [Theory]
    [InlineData("""{"topic": "sales", "description": "help", "topic": "pricing"}""", "$.topic")]
    [InlineData("""{"topic": "sales", "description": "help", "description": "other"}""", "$.description")]
    public async Task A_property_named_twice_is_refused(string body, string path)
    {
        var response = await Post(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await Problems.ReadAsync(response)).Detail;
        Assert.Contains("twice", detail);
        Assert.Contains(path, detail);
    }

    [Fact]
    public async Task A_lone_surrogate_escape_is_a_400_not_a_500()
    {
        var response = await Post("""{"topic": "sales", "description": "\ud800 alone"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await Problems.ReadAsync(response);
    }

    [Theory]
    [InlineData("{\"channels\": [\"console\"", "not valid JSON")]
    [InlineData("{\"channels\": \"console\"}", "$.channels")]
    [InlineData("{\"channels\": [\"console\"], \"channels\": [\"slack\"]}", "twice")]
    public async Task A_malformed_route_body_is_refused_with_a_detail(string body, string detail)
    {
        var response = await client.PutAsync("/topics/support", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await Problems.ReadAsync(response)).Detail);
    }

    [Fact]
    public async Task A_route_body_that_is_not_JSON_is_refused_with_415()
    {
        var response = await client.PutAsync("/topics/support", new StringContent("channels=console", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await Problems.ReadAsync(response);
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("21474838")] // the first page of 100 whose skip passes int.MaxValue
    [InlineData("99999999999")]
    public async Task A_page_past_what_an_int_can_skip_is_a_400(string page)
    {
        var response = await client.GetAsync($"/assistance-requests?status=Failed&page={page}&pageSize=100");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("page", (await Problems.ReadAsync(response)).Detail);
    }
}

/// <summary>With a fallback route, made-up topics are taken, but the metrics count them as one series, <c>other</c>.</summary>
public sealed class FallbackMetricsTests(FallbackMetricsTests.FallbackApi api) : IClassFixture<FallbackMetricsTests.FallbackApi>
{
    public sealed class FallbackApi() : ApiFactory(new Dictionary<string, string?> { ["Routing:Fallback"] = "console" });

    [Fact]
    public async Task Five_hundred_junk_topics_add_no_series_to_the_metrics()
    {
        var client = api.CreateClient();
        var junk = Enumerable.Range(0, 500).Select(i => $"junk{i}-{Guid.NewGuid():N}").ToArray();
        var (first, _) = await api.SubmitAsync("warmup-topic", "help");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        foreach (var batch in junk.Chunk(25))
            await Task.WhenAll(batch.Select(async topic => Assert.Equal(HttpStatusCode.Accepted, (await api.SubmitAsync(topic, "help")).Response.StatusCode)));
        var metrics = await client.GetStringAsync("/metrics");

        // prometheus-net's registry is one per process, shared with other tests: look for these topics' names only.
        Assert.DoesNotContain(junk.Append("warmup-topic"), metrics.Contains);
        Assert.Contains("assistance_router_requests_accepted_total{topic=\"other\"}", metrics);
    }

    [Fact]
    public async Task A_routed_topic_keeps_its_own_series()
    {
        var (response, _) = await api.SubmitAsync("sales", "help");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("assistance_router_requests_accepted_total{topic=\"sales\"}", await api.CreateClient().GetStringAsync("/metrics"));
    }
}

internal static class ContentTypes
{
    public static StringContent WithType(this StringContent content, string contentType)
    {
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
