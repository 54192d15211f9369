using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

/// <summary>Every rule of the contract's POST validation: each answers a problem+json 4xx that says what is wrong.</summary>
public sealed class SubmissionValidationTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private readonly HttpClient client = api.CreateClient();

    /// <summary>The earlier service's paths answer 200, as it did; the resource answers 202.</summary>
    public static TheoryData<string, HttpStatusCode> Paths => new()
    {
        { "/assistance-requests", HttpStatusCode.Accepted },
        { "/assistance-request", HttpStatusCode.OK },
        { "/assistance-request/", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_valid_request_is_accepted_on_every_path(string path, HttpStatusCode expected)
    {
        var response = await client.PostAsJsonAsync(path, new { topic = "sales", description = "I need help with my order" });

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/assistance-requests/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("Accepted", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_topic_is_refused_naming_the_known_ones()
    {
        var problem = await PostProblem(HttpStatusCode.BadRequest, """{"topic": "weather", "description": "Is it raining?"}""");
        Assert.Contains("weather", problem.Detail);
        Assert.Contains("pricing", problem.Detail);
        Assert.Contains("sales", problem.Detail);
    }

    [Theory]
    [InlineData("""{"description": "help"}""", "topic")]
    [InlineData("""{"topic": "", "description": "help"}""", "topic")]
    [InlineData("""{"topic": "sales"}""", "description")]
    [InlineData("""{"topic": "sales", "description": ""}""", "description")]
    [InlineData("""{"topic": "sales", "description": "   \n\t "}""", "description")]
    [InlineData("""{}""", "topic")]
    public async Task Missing_empty_or_blank_fields_are_refused(string body, string field)
    {
        var problem = await PostProblem(HttpStatusCode.BadRequest, body);
        Assert.Contains($"'{field}'", problem.Detail);
        Assert.True(problem.Errors?.ContainsKey(field), $"errors should name '{field}'");
    }

    [Fact]
    public async Task A_description_over_4000_characters_after_trimming_is_refused()
    {
        var problem = await PostProblem(HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { topic = "sales", description = new string('x', 4001) }));
        Assert.Contains("4000", problem.Detail);
    }

    [Fact]
    public async Task A_description_of_4000_characters_with_spaces_around_is_accepted_trimmed()
    {
        var description = new string('x', 4000);
        var response = await client.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = $"  {description}\n " });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(description, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("""{"topic": "sales", "description": "help""", "not valid JSON")]
    [InlineData("""not json at all""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("""{"topic": 5, "description": "help"}""", "$.topic")]
    [InlineData("""{"topic": "sales", "description": ["help"]}""", "$.description")]
    [InlineData("""["sales", "help"]""", "JSON object")]
    [InlineData("""null""", "JSON object")]
    public async Task Malformed_JSON_and_wrong_types_are_refused(string body, string detail)
    {
        var problem = await PostProblem(HttpStatusCode.BadRequest, body);
        Assert.Contains(detail, problem.Detail);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        var response = await Post("""{"topic": "sales", "description": "help", "priority": "high", "extra": {"a": 1}}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_refused_with_413()
    {
        var body = JsonSerializer.Serialize(new { topic = "sales", description = "help", padding = new string('x', 65 * 1024) });
        var problem = await PostProblem(HttpStatusCode.RequestEntityTooLarge, body);
        Assert.Contains("64 KiB", problem.Detail);
    }

    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_refused_with_413()
    {
        var body = JsonSerializer.Serialize(new { topic = "sales", description = "help", padding = new string('x', 65 * 1024) });
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        var response = await client.PostAsync("/assistance-requests", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/assistance-requests", "text/plain")]
    [InlineData("/assistance-requests", "application/x-www-form-urlencoded")]
    [InlineData("/assistance-request", "text/plain")]
    public async Task A_wrong_content_type_is_refused_with_415(string path, string contentType)
    {
        var response = await client.PostAsync(path, new StringContent("""{"topic": "sales", "description": "help"}""", Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await Problems.ReadAsync(response);
        Assert.Contains("application/json", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_id_is_404_and_so_is_a_malformed_one()
    {
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-an-id" })
        {
            var response = await client.GetAsync($"/assistance-requests/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains(id, (await Problems.ReadAsync(response)).Detail);
        }
    }

    [Fact]
    public async Task An_unknown_path_is_a_problem_too()
    {
        var response = await client.GetAsync("/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<HttpResponseMessage> Post(string body) =>
        client.PostAsync("/assistance-requests", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<Problem> PostProblem(HttpStatusCode status, string body)
    {
        var response = await Post(body);
        Assert.Equal(status, response.StatusCode);
        return await Problems.ReadAsync(response);
    }
}
