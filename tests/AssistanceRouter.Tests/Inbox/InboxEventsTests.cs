using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Inbox;

/// <summary><c>/inbox/events</c> over HTTP: what a program or the inbox page hears when requests change.</summary>
public sealed class InboxEventsTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Fact]
    public async Task The_stream_is_text_event_stream_and_names_the_request_of_each_change_in_order()
    {
        using var client = api.CreateClient();
        await using var stream = await EventStream.OpenAsync(client, "/inbox/events");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-cache", stream.Response.Headers.CacheControl!.ToString());

        var (_, request) = await api.SubmitAsync("sales", "Where is my parcel?");
        var id = request!.Id;
        var accepted = await stream.NextAsync(e => e.Type == "accepted" && e.RequestId == id, "the request's acceptance");
        Assert.Equal(("sales", "accepted"), (accepted.Json.GetProperty("topic").GetString(), accepted.Json.GetProperty("type").GetString()));
        Assert.NotNull(accepted.Id);

        Assert.True((await client.PostAsJsonAsync($"/assistance-requests/{id}/acknowledge", new { by = "Ann" })).IsSuccessStatusCode);
        var taken = await stream.NextAsync(e => e.RequestId == id && e.Type != "attempted", "the acknowledgement");
        Assert.Equal(("acknowledged", "Acknowledged"), (taken.Type, taken.Json.GetProperty("status").GetString()));
        Assert.True((await client.PostAsync($"/assistance-requests/{id}/unacknowledge", NoBody.Json())).IsSuccessStatusCode);
        Assert.Equal("unacknowledged", (await stream.NextAsync(e => e.RequestId == id && e.Type != "attempted", "giving it back")).Type);
        Assert.True((await client.PostAsJsonAsync($"/assistance-requests/{id}/resolve", new { by = "Ann" })).IsSuccessStatusCode);
        Assert.Equal("resolved", (await stream.NextAsync(e => e.RequestId == id && e.Type != "attempted", "the resolution")).Type);
    }

    [Fact]
    public async Task A_stream_for_one_topic_carries_only_that_topics_changes()
    {
        using var client = api.CreateClient();
        await using var stream = await EventStream.OpenAsync(client, "/inbox/events?topic=PRICING");

        var (_, sales) = await api.SubmitAsync("sales", "not for this stream");
        var (_, pricing) = await api.SubmitAsync("pricing", "for this stream");

        // The sales request was accepted first, so had the filter let it through it would have come first.
        var first = await stream.NextAsync(_ => true, "any event");
        Assert.Equal(pricing!.Id, first.RequestId);
        Assert.NotEqual(sales!.Id, first.RequestId);
    }

    [Fact]
    public async Task The_inbox_snapshot_finds_by_words_and_counts_per_topic()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var (_, zebra) = await api.SubmitAsync("sales", $"A zebra{marker} ate the invoice");
        var (_, other) = await api.SubmitAsync("sales", $"A giraffe{marker} ate the invoice");
        using var client = api.CreateClient();

        var found = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/inbox/requests?q=ZEBRA{marker}"),
            s => s.GetProperty("open").GetProperty("total").GetInt32() == 1, "the search to find the zebra");
        Assert.Equal(zebra!.Id, found.GetProperty("open").GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal($"ZEBRA{marker}", found.GetProperty("query").GetString());
        // The feed may bring the second request a moment after the first: wait for it, as the page would.
        var both = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/inbox/requests?q={marker}"),
            s => s.GetProperty("open").GetProperty("total").GetInt32() == 2, "the search to find both");
        var sales = both.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == "sales");
        Assert.Equal(2, sales.GetProperty("open").GetInt32());
        Assert.Contains(both.GetProperty("topics").EnumerateArray(), t => t.GetProperty("topic").GetString() == "pricing"); // a route with nothing open
        Assert.NotEqual(zebra.Id, other!.Id);
    }

    [Fact]
    public async Task A_stranger_gets_no_stream_when_keys_are_set()
    {
        await using var keyed = new ApiFactory(new Dictionary<string, string?> { ["Api:Keys:0"] = "inbox-events-key-0123456789-abcdef" });
        using var stranger = keyed.CreateClient();
        stranger.DefaultRequestHeaders.Accept.ParseAdd("text/event-stream");

        var refused = await stranger.GetAsync("/inbox/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var program = keyed.CreateClient();
        program.DefaultRequestHeaders.Add("X-Api-Key", "inbox-events-key-0123456789-abcdef");
        await using var stream = await EventStream.OpenAsync(program, "/inbox/events");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType!.MediaType);
    }
}
