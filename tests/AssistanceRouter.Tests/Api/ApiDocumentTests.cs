using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

/// <summary>The API document describes what the endpoints do, so that Swagger's "Try it out" works as shipped.</summary>
public sealed class ApiDocumentTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<JsonElement> Document() => await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

    [Fact]
    public async Task The_submissions_example_is_accepted_as_it_stands()
    {
        var schema = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty("SubmitAssistanceRequest");

        // OpenAPI 3.1 (JSON Schema 2020-12) lists a schema's examples.
        var example = schema.GetProperty("examples")[0].GetRawText();
        var response = await client.PostAsync("/assistance-requests", new StringContent(example, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_submission_schema_says_what_the_endpoint_checks()
    {
        var schema = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty("SubmitAssistanceRequest");
        var description = schema.GetProperty("properties").GetProperty("description");

        Assert.Equal(["topic", "description"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(4000, description.GetProperty("maxLength").GetInt32());
        Assert.Equal(1, description.GetProperty("minLength").GetInt32());
        Assert.False(description.TryGetProperty("nullable", out _));
        // Unknown fields are ignored, so the schema must not forbid them.
        Assert.False(schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False);
    }

    [Theory]
    [InlineData("/assistance-requests", "post", "202 400 401 403 413 415 422 429 503")]
    [InlineData("/assistance-requests/{id}", "get", "200 401 404 429 503")]
    [InlineData("/assistance-requests/{id}/acknowledge", "post", "200 400 401 403 404 409 413 415 429 503")]
    [InlineData("/assistance-requests/{id}/unacknowledge", "post", "200 400 401 403 404 409 413 415 429 503")]
    [InlineData("/assistance-requests/{id}/retry", "post", "202 401 403 404 409 415 429 503")]
    [InlineData("/topics/{topic}", "put", "200 400 401 403 409 413 415 429 503")]
    [InlineData("/topics/{topic}", "delete", "204 401 403 404 429 503")]
    public async Task Every_answer_an_operation_gives_is_documented(string path, string method, string statuses)
    {
        var responses = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.Equal(statuses.Split(' '), responses.EnumerateObject().Select(r => r.Name));
        Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.All(responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'),
            r => Assert.True(r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{r.Name} is not problem+json"));
    }

    /// <summary>The contract test's validator is no formality: it refuses each kind of disagreement.</summary>
    [Fact]
    public async Task The_validator_refuses_answers_the_document_does_not_describe()
    {
        var validator = ApiDocumentValidator.Read(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var json = new Dictionary<string, string>();
        var view = await client.GetStringAsync("/topics");
        RecordedAnswer Answer(string path, int status, string? type, string body) =>
            new("GET", path, status, type, json, Encoding.UTF8.GetBytes(body));

        Assert.Empty(validator.Problems(Answer("/topics", 200, "application/json; charset=utf-8", view)));
        Assert.Contains("is not declared", Assert.Single(validator.Problems(Answer("/topics", 418, "application/problem+json", "{}"))));
        Assert.Contains("media type", Assert.Single(validator.Problems(Answer("/topics", 200, "text/plain", view))));
        Assert.Contains("does not match", Assert.Single(validator.Problems(Answer("/topics", 200, "application/json", """[{"topic": "sales"}]"""))));
        Assert.Contains("does not match", Assert.Single(validator.Problems(Answer("/assistance-requests/x", 404, "application/problem+json", """{"status": "404"}"""))));
        const string channelWithBadDate = """[{"name": "x", "kind": "Slack", "configured": true, "ratePerSecond": 1, "burst": 1, "pending": 0, "delivered": 0, "failed": 0, "retried": 0, "rateLimited": 0, "lastError": null, "paused": false, "rateLimitedUntil": "not a date", "oldestPendingAge": null, "inFlight": 0}]""";
        Assert.Contains("does not match", Assert.Single(validator.Problems(Answer("/channels", 200, "application/json", channelWithBadDate))));
        Assert.Contains("no such operation", Assert.Single(validator.Problems(Answer("/nowhere", 200, "application/json", "{}"))));
    }

    [Fact]
    public async Task The_API_key_is_a_security_scheme_so_that_Swagger_UI_offers_Authorize()
    {
        var document = await Document();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");

        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Contains(document.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("ApiKey", out _));
    }
}
