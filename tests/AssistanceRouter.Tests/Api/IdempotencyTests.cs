using System.Net;
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
}
