using System.Net;
using System.Text;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

/// <summary>Every error is problem+json with a detail, for a client that does not ask for JSON too (a browser, a shell script).</summary>
public sealed class ProblemAnswerTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    public static TheoryData<string> Accepts => ["text/html", "text/plain", "application/xml", "application/json"];

    private HttpClient Client(string accept)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);
        return client;
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task Nothing_at_a_path_is_a_404_that_points_at_the_docs(string accept)
    {
        var response = await Client(accept).GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("/docs", (await Problems.ReadAsync(response)).Detail);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_wrong_method_is_a_405_that_names_it(string accept)
    {
        var response = await Client(accept).DeleteAsync("/assistance-requests");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("DELETE", (await Problems.ReadAsync(response)).Detail);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_body_that_is_not_JSON_is_a_415_that_says_what_to_send(string accept)
    {
        var response = await Client(accept).PostAsync("/assistance-requests", new StringContent("help", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await Problems.ReadAsync(response)).Detail);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task An_unknown_request_is_a_404_that_names_its_id(string accept)
    {
        var response = await Client(accept).GetAsync("/assistance-requests/not-an-id");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not-an-id", (await Problems.ReadAsync(response)).Detail);
    }
}
