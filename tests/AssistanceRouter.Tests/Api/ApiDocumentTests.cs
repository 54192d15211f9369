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

        var response = await client.PostAsync("/assistance-requests", new StringContent(schema.GetProperty("example").GetRawText(), Encoding.UTF8, "application/json"));

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
    [InlineData("/assistance-requests", "post", "202 400 401 413 415 422 503")]
    [InlineData("/assistance-requests/{id}", "get", "200 401 404 503")]
    [InlineData("/assistance-requests/{id}/retry", "post", "202 401 404 409 503")]
    [InlineData("/topics/{topic}", "put", "200 400 401 409 413 415 503")]
    [InlineData("/topics/{topic}", "delete", "204 401 404 503")]
    public async Task Every_answer_an_operation_gives_is_documented(string path, string method, string statuses)
    {
        var responses = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.Equal(statuses.Split(' '), responses.EnumerateObject().Select(r => r.Name));
        Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
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
