using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Delivery;

public sealed class ResilienceTests(ResilienceFixture fixture, ITestOutputHelper output) : IClassFixture<ResilienceFixture>
{
    private ApiFactory Api => fixture.Api;

    [Fact]
    public async Task A_receiver_failing_30_percent_with_503_still_gets_every_request()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i => (await Api.SubmitAsync("flaky", $"flaky {i}")).Request!.Id));

        foreach (var id in ids)
            await Api.WaitForAsync(id, r => r.Status == RequestStatus.Delivered, TimeSpan.FromSeconds(60));

        var requests = fixture.Flaky.Requests;
        Assert.All(ids, id => Assert.Contains(requests, r => r.Body.Contains(id.ToString())));
        output.WriteLine($"200 delivered after {requests.Count} attempts");
        Assert.True(requests.Count > 220, "about 30% of attempts should have failed and been retried");
    }

    [Fact]
    public async Task Slacks_default_limit_sends_20_requests_a_second_apart_with_at_most_one_429()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++) ids.Add((await Api.SubmitAsync("sales", $"paced {i}")).Request!.Id);

        foreach (var id in ids)
            await Api.WaitForAsync(id, r => r.Status == RequestStatus.Delivered, TimeSpan.FromSeconds(60));

        var accepted = fixture.Paced.Requests.Where(r => r.Body.Contains("paced")).ToArray();
        var span = accepted[^1].At - accepted[0].At;
        output.WriteLine($"20 requests over {span.TotalSeconds:0.0} s, {fixture.PacedRejections} rejected with 429");
        Assert.True(fixture.PacedRejections <= 1, $"{fixture.PacedRejections} requests were sent too fast");
        Assert.InRange(span.TotalSeconds, 18.5, 30);
    }

    [Fact]
    public async Task A_429_with_Retry_After_pauses_the_channel_at_least_that_long()
    {
        var marker = Guid.NewGuid().ToString();
        fixture.Scripted.Script(marker, n => n == 1 ? new Reply(429, """{"ok":false,"error":"rate_limited"}""", RetryAfter: "2") : Reply.Ok);

        var (_, accepted) = await Api.SubmitAsync("limited", $"limited {marker}");
        await Api.WaitForAsync(accepted!.Id, r => r.Deliveries[0].Attempts == 1);
        var channels = await Api.CreateClient().GetFromJsonAsync<JsonElement[]>("/channels");
        var limited = channels!.Single(c => c.GetProperty("name").GetString() == "limited");
        Assert.False(limited.GetProperty("paused").GetBoolean()); // paused is an operator's hold; a 429 only slows it
        Assert.Equal(JsonValueKind.String, limited.GetProperty("rateLimitedUntil").ValueKind);

        var delivered = await Api.WaitForAsync(accepted.Id, r => r.Status == RequestStatus.Delivered);
        var attempts = fixture.Scripted.Requests.Where(r => r.Body.Contains(marker)).ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(1.95), $"retried after {(attempts[1].At - attempts[0].At).TotalSeconds} s");
        Assert.Contains("429", delivered.Deliveries[0].RecentAttempts[0].Error);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_and_is_retried()
    {
        var marker = Guid.NewGuid().ToString();
        fixture.Scripted.Script(marker, n => n == 1 ? new Reply(Hang: true) : Reply.Ok);

        var (_, accepted) = await Api.SubmitAsync("limited", $"hang {marker}");
        var delivered = await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);

        var delivery = delivered.Deliveries.Single();
        Assert.Equal(2, delivery.Attempts);
        Assert.Contains("no answer within 0.5 s", delivery.RecentAttempts[0].Error);
    }

    [Fact]
    public async Task A_reply_that_hangs_holds_up_only_itself()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        // Far longer than delivering five takes even on a loaded machine: a channel that waited for the hanging reply
        // would deliver the others only after it timed out, and its attempt would be on record by then.
        await using var api = HooksNode(receiver, ("Delivery:AttemptTimeout", "00:01:00"));
        var (_, hanging) = await api.SubmitAsync("hooks", "this one hangs");
        await receiver.WaitForRequestsAsync(1);

        var others = new List<Guid>();
        for (var i = 0; i < 5; i++) others.Add((await api.SubmitAsync("hooks", $"behind it {i}")).Request!.Id);
        foreach (var id in others) await api.WaitForAsync(id, r => r.Status == RequestStatus.Delivered);

        var still = await api.GetAsync(hanging!.Id);
        Assert.Equal(RequestStatus.Accepted, still.Status); // still waiting for its answer
        Assert.Equal(0, still.Deliveries.Single().Attempts);
    }

    [Fact]
    public async Task A_channel_keeps_at_most_MaxConcurrentSends_sends_at_its_receiver()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var api = HooksNode(receiver, ("Delivery:MaxConcurrentSends", "2"), ("Delivery:AttemptTimeout", "00:00:02"));
        var (_, first) = await api.SubmitAsync("hooks", "hangs, first");
        var (_, second) = await api.SubmitAsync("hooks", "hangs, second");
        await receiver.WaitForRequestsAsync(2);

        var behind = (await api.SubmitAsync("hooks", "behind both")).Request!.Id;
        await api.WaitForAsync(behind, r => r.Status == RequestStatus.Delivered);

        // Both slots were held by sends awaiting their answers: the third reached the receiver only after one of them
        // had timed out. The channel notes a timed-out attempt's outcome before it can start another send.
        var timedOut = await Task.WhenAll(new[] { first!.Id, second!.Id }.Select(id =>
            api.WaitForAsync(id, r => r.Deliveries.Single().RecentAttempts.Length > 0)));
        var firstTimeout = timedOut.Min(r => r.Deliveries.Single().RecentAttempts[0].At);
        Assert.All(timedOut, r => Assert.Contains("no answer within 2 s", r.Deliveries.Single().RecentAttempts[0].Error));
        var arrived = receiver.Requests.Single(r => r.Body.Contains("behind both")).At;
        Assert.True(arrived > firstTimeout, $"the third send arrived at {arrived:O}, before the first timeout at {firstTimeout:O}");
    }

    /// <summary>A node whose topic "hooks" goes to a webhook channel at <paramref name="receiver"/>, where a body with "hangs" is never answered.</summary>
    private static ApiFactory HooksNode(LoopbackReceiver receiver, params (string Key, string Value)[] delivery)
    {
        receiver.Script("hangs", _ => new Reply(Hang: true));
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Hooks:Kind"] = "Webhook",
            ["Channels:Hooks:Url"] = receiver.Url.ToString(),
            ["Channels:Hooks:RatePerSecond"] = "100",
            ["Routing:Topics:hooks:0"] = "hooks",
        };
        foreach (var (key, value) in delivery) settings[key] = value;
        return new ApiFactory(settings);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_past_GiveUpAfter_becomes_a_dead_letter()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Channels:Down:Kind"] = "Webhook",
            ["Channels:Down:Url"] = $"http://127.0.0.1:{FreePort.Next()}/nobody-home",
            ["Routing:Topics:down:0"] = "down",
            ["Delivery:GiveUpAfter"] = "00:00:00.500",
        });

        var (_, accepted) = await api.SubmitAsync("down", "Nobody is listening");
        var failed = await api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Failed);

        var delivery = failed.Deliveries.Single();
        Assert.True(delivery.Attempts > 1);
        Assert.StartsWith("gave up after", delivery.LastError);

        var client = api.CreateClient();
        var deadLetters = await WaitForDeadLetters(client, 1);
        Assert.Equal(accepted.Id, deadLetters.GetProperty("items")[0].GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/assistance-requests/{accepted.Id}/retry", NoBody.Json())).StatusCode);
        await WaitForDeadLetters(client, 0);
    }

    private static Task<JsonElement> WaitForDeadLetters(HttpClient client, int total) =>
        Eventually.Until(() => client.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Failed"), page => page.GetProperty("total").GetInt32() == total,
            $"{total} dead letters", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(25));
}
