using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

public sealed class IdempotencyTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Fact]
    public async Task The_same_key_and_body_return_the_same_request()
    {
        var key = Guid.NewGuid().ToString();
        var (first, created) = await api.SubmitAsync("sales", "I need help with my order", key);
        var (second, replayed) = await api.SubmitAsync("sales", "  I need help with my order ", key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(created!.Id, replayed!.Id);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        await api.SubmitAsync("sales", "I need help with my order", key);
        var (response, _) = await api.SubmitAsync("sales", "Something else entirely", key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(key, (await Problems.ReadAsync(response)).Detail);
    }

    [Fact]
    public async Task Concurrent_duplicates_make_one_request()
    {
        var key = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.SubmitAsync("sales", "Concurrent help", key)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Accepted, r.Response.StatusCode));
        Assert.Single(results.Select(r => r.Request!.Id).Distinct());
        Assert.Single(results, r => !r.Response.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Different_keys_make_different_requests()
    {
        var (_, a) = await api.SubmitAsync("sales", "Same words", Guid.NewGuid().ToString());
        var (_, b) = await api.SubmitAsync("sales", "Same words", Guid.NewGuid().ToString());
        Assert.NotEqual(a!.Id, b!.Id);
    }

    private static object Body(string topic = "sales", string description = "I need help with my order",
        string? conversationUrl = "https://chat.example.test/c/1", Dictionary<string, string>? metadata = null) =>
        new { topic, description, conversationUrl, metadata = metadata ?? new Dictionary<string, string> { ["customer"] = "c-42", ["plan"] = "pro" } };

    /// <summary>Each field of the body, changed alone: the same key with any of them is another body, not a replay.</summary>
    public static TheoryData<string, object> Changed => new()
    {
        { "topic", Body(topic: "pricing") },
        { "description", Body(description: "Something else entirely") },
        { "conversationUrl changed", Body(conversationUrl: "https://chat.example.test/c/2") },
        { "conversationUrl left out", Body(conversationUrl: null) },
        { "a metadata value", Body(metadata: new() { ["customer"] = "c-43", ["plan"] = "pro" }) },
        { "a metadata key", Body(metadata: new() { ["customer"] = "c-42", ["tier"] = "pro" }) },
        { "a metadata entry more", Body(metadata: new() { ["customer"] = "c-42", ["plan"] = "pro", ["region"] = "eu" }) },
        { "metadata left out", new { topic = "sales", description = "I need help with my order", conversationUrl = "https://chat.example.test/c/1" } },
    };

    [Theory]
    [MemberData(nameof(Changed))]
    public async Task The_same_key_with_any_field_changed_is_422_and_changes_nothing(string what, object changed)
    {
        var key = Guid.NewGuid().ToString();
        var (first, created) = await api.SubmitAsync(Body(), key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        var (response, _) = await api.SubmitAsync(changed, key);

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{what}: {(int)response.StatusCode}");
        Assert.Contains("different body", (await Problems.ReadAsync(response)).Detail);
        var stored = await api.GetAsync(created!.Id);
        Assert.Equal(("sales", "I need help with my order", "https://chat.example.test/c/1"), (stored.Topic, stored.Description, stored.ConversationUrl));
        Assert.Equal(new Dictionary<string, string> { ["customer"] = "c-42", ["plan"] = "pro" }, stored.Metadata);
    }

    /// <summary>What normalisation makes equal stays one request: case of the topic, spaces around, the order of metadata keys.</summary>
    public static TheoryData<string, object, object> Same => new()
    {
        { "topic case and spaces", Body(), Body(topic: " SALES ", description: "  I need help with my order\n", conversationUrl: " https://chat.example.test/c/1 ") },
        { "metadata order", Body(), Body(metadata: new() { ["plan"] = "pro", ["customer"] = "c-42" }) },
        { "empty metadata and none", new { topic = "sales", description = "help", metadata = new Dictionary<string, string>() }, new { topic = "sales", description = "help" } },
        { "a blank conversationUrl and none", new { topic = "sales", description = "help", conversationUrl = " " }, new { topic = "sales", description = "help" } },
    };

    [Theory]
    [MemberData(nameof(Same))]
    public async Task The_same_key_with_the_same_body_after_normalisation_is_replayed(string what, object body, object again)
    {
        var key = Guid.NewGuid().ToString();
        var (_, created) = await api.SubmitAsync(body, key);

        var (response, replayed) = await api.SubmitAsync(again, key);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(created!.Id, replayed!.Id);
    }

    [Theory]
    [InlineData("cl\u00e9-42")]
    [InlineData("\u20ac100")]
    [InlineData("tab\tinside")]
    [InlineData("bell\u0007")]
    [InlineData("delete\u007f")]
    public async Task An_Idempotency_Key_outside_printable_ASCII_is_refused(string key)
    {
        var response = await PostWithKey(key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problems.ReadAsync(response);
        Assert.Equal("Invalid Idempotency-Key", problem.Title);
        Assert.Contains("1 to 255 printable ASCII characters", problem.Detail);
    }

    [Fact]
    public async Task An_Idempotency_Key_of_255_characters_is_taken_and_one_of_256_refused()
    {
        var key = Guid.NewGuid().ToString("N") + new string('k', SubmissionReader.MaxIdempotencyKeyLength - 32);

        Assert.Equal(HttpStatusCode.Accepted, (await PostWithKey(key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithKey(key + "k")).StatusCode);
    }

    [Fact]
    public async Task An_Idempotency_Key_may_hold_every_printable_ASCII_character()
    {
        var printable = new string([.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)]);
        var key = $"{Guid.NewGuid():N}{printable}";

        var first = await PostWithKey(key);
        var again = await PostWithKey(key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>The header as sent, unvalidated: the test server hands it to the API as it is.</summary>
    private async Task<HttpResponseMessage> PostWithKey(string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/assistance-requests") { Content = JsonContent.Create(new { topic = "sales", description = "help" }) };
        Assert.True(message.Headers.TryAddWithoutValidation(AssistanceRequestsApi.IdempotencyKeyHeader, key));
        return await api.CreateClient().SendAsync(message);
    }
}

/// <summary>
/// An empty header over a real socket: the in-memory test server drops a header without a value before the API
/// sees it, and Kestrel does not.
/// </summary>
public sealed class EmptyIdempotencyKeyTests(EmptyIdempotencyKeyTests.KestrelApi api) : IClassFixture<EmptyIdempotencyKeyTests.KestrelApi>
{
    public sealed class KestrelApi : ApiFactory
    {
        public KestrelApi() : base(null)
        {
            UseKestrel(FreePort.Next());
            StartServer();
        }
    }

    [Fact]
    public async Task An_empty_Idempotency_Key_is_refused_not_taken_for_none()
    {
        using var client = api.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/assistance-requests") { Content = JsonContent.Create(new { topic = "sales", description = "help" }) };
        Assert.True(message.Headers.TryAddWithoutValidation(AssistanceRequestsApi.IdempotencyKeyHeader, ""));

        var response = await client.SendAsync(message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1 to 255 printable ASCII characters", (await Problems.ReadAsync(response)).Detail);
    }
}
