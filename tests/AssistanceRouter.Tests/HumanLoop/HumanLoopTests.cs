using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Storage;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.HumanLoop;

/// <summary>
/// A request is done when a person has it: the loop from acceptance through escalation, acknowledgement, the
/// notices everyone hears and the events the bot hears, against the real API and real receivers.
/// </summary>
public sealed class HumanLoopTests(HumanLoopFixture fixture) : IClassFixture<HumanLoopFixture>
{
    private HttpClient Http => fixture.Api.CreateClient();

    private async Task<AssistanceRequestView> Submit(string topic, string description, string? conversationUrl = null)
    {
        var response = await Http.PostAsJsonAsync("/assistance-requests", new
        {
            topic,
            description,
            conversationUrl,
            metadata = new Dictionary<string, string> { ["customer"] = "c-42" },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
    }

    private Task<HttpResponseMessage> Acknowledge(Guid id, string by) => Http.PostAsJsonAsync($"/assistance-requests/{id}/acknowledge", new { by });

    private static IEnumerable<JsonElement> Bodies(LoopbackReceiver receiver, Guid id) =>
        receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).Where(b => b.GetProperty("requestId").GetGuid() == id);

    private static string?[] Kinds(LoopbackReceiver receiver, Guid id) => [.. Bodies(receiver, id).Select(b => b.GetProperty("kind").GetString())];

    [Fact]
    public async Task Unanswered_escalates_after_its_step_and_an_early_acknowledgement_stops_it_and_tells_everyone_notified()
    {
        var unanswered = await Submit("urgent", "Nobody will take this one", "https://chat.example.test/c/1");
        var taken = await Submit("urgent", "Alice takes this one");

        // Both reach A at once; Alice takes the second within a second.
        await Eventually.Until(() => new[] { unanswered.Id, taken.Id }.Count(id => Bodies(fixture.A, id).Any()), reached => reached == 2,
            "both requests at A", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25), reached => $"{reached} of them");
        var acknowledged = await Acknowledge(taken.Id, "Alice");
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var view = (await acknowledged.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
        Assert.Equal(RequestStatus.Acknowledged, view.Status);
        Assert.Equal(new AcknowledgementView("Alice", view.Acknowledgement!.At, AcknowledgementVia.Api), view.Acknowledgement);

        // Bob is told who has it.
        var bob = await Acknowledge(taken.Id, "Bob");
        Assert.Equal(HttpStatusCode.Conflict, bob.StatusCode);
        Assert.Contains("Alice", (await bob.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // The queue: the unanswered one is open, the taken one is not.
        var open = await Http.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Open&topic=urgent");
        var openIds = open.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();
        Assert.Contains(unanswered.Id, openIds);
        Assert.DoesNotContain(taken.Id, openIds);

        // B hears about the unanswered one about 3 s after acceptance, and never about the taken one.
        await Eventually.Until(() => Bodies(fixture.B, unanswered.Id).Count(), notices => notices > 0, "the unanswered request at B",
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(25), notices => $"{notices} notices of it");
        var escalatedAt = fixture.B.Requests.First(r => r.Body.Contains(unanswered.Id.ToString())).At;
        Assert.InRange(escalatedAt - unanswered.CreatedAt, HumanLoopFixture.StepAfter - TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15));
        // The taken one's step can never fire: its entry left A's schedule with the acknowledgement, and B holds and sends nothing.
        Assert.DoesNotContain(await Scheduled("a"), e => e.Id.StartsWith($"{taken.Id:N}-", StringComparison.Ordinal));
        await Eventually.Until(() => Channel("b"), b => b is { Pending: 0, InFlight: 0 }, "channel B to hold and send nothing");
        Assert.Empty(Bodies(fixture.B, taken.Id));

        // A got the taken one once as a request and once as "taken by Alice"; the conversation link went with the other.
        await Eventually.Until(() => Kinds(fixture.A, taken.Id), kinds => kinds.Length >= 2, "'taken by Alice' at A", TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(25));
        var kinds = Bodies(fixture.A, taken.Id).Select(b => (b.GetProperty("kind").GetString(), b.GetProperty("by").GetString())).ToArray();
        Assert.Equal([("request", null), ("taken", "Alice")], kinds);
        Assert.Equal("https://chat.example.test/c/1", Bodies(fixture.A, unanswered.Id).First().GetProperty("conversationUrl").GetString());

        var escalated = await fixture.Api.GetAsync(unanswered.Id);
        Assert.Equal(1, escalated.Escalation!.Step);
        Assert.Contains(escalated.History, h => h.Event == HistoryEvents.Escalated);
    }

    [Fact]
    public async Task The_bot_hears_each_lifecycle_event_signed_by_the_Standard_Webhooks_rule()
    {
        var request = await Submit("quiet", "Events please");
        Assert.Equal(HttpStatusCode.OK, (await Acknowledge(request.Id, "Alice")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsJsonAsync($"/assistance-requests/{request.Id}/resolve", new { by = "Alice", note = "done" })).StatusCode);

        await Eventually.Until(() => Events(request.Id).Select(e => e.Type).ToArray(), types => types.Count(t => t == "request.resolved") == 1,
            "the request.resolved event", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(25));
        var events = Events(request.Id).ToArray();
        // Events may arrive in any order (they are sent side by side and retried); sequence, growing with each, orders them.
        var sequences = events.Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("sequence").GetInt32()).ToArray();
        Assert.Equal(sequences.Length, sequences.Distinct().Count());
        Assert.Equal(["request.accepted", "request.acknowledged", "request.resolved"],
            events.Zip(sequences).OrderBy(e => e.Second).Select(e => e.First.Type).Where(t => t != "request.delivered"));
        Assert.Equal(events.Length, events.Select(e => e.Id).Distinct().Count());
        foreach (var e in events)
        {
            // Computed here from the rule, not with the product's code: v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")).
            var key = Convert.FromBase64String(HumanLoopFixture.EventsSecret["whsec_".Length..]);
            var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{e.Id}.{e.Timestamp}.{e.Body}")));
            Assert.Contains(expected, e.Signature.Split(' '));
            Assert.InRange(long.Parse(e.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }
        var resolved = JsonDocument.Parse(events.Last().Body).RootElement.GetProperty("data");
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("c-42", resolved.GetProperty("metadata").GetProperty("customer").GetString());
        Assert.Equal("done", resolved.GetProperty("resolution").GetProperty("note").GetString());
    }

    [Fact]
    public async Task Resolve_and_unacknowledge_behave_as_the_contract_says()
    {
        var request = await Submit("quiet", "Give it back, then resolve it");
        Assert.Equal(HttpStatusCode.Conflict, (await Http.PostAsync($"/assistance-requests/{request.Id}/unacknowledge", NoBody.Json())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Acknowledge(request.Id, "Alice")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Acknowledge(request.Id, "Alice")).StatusCode); // again by the same person: unchanged

        var acknowledgedList = await Http.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Acknowledged");
        Assert.Contains(acknowledgedList.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == request.Id);

        var givenBack = await Http.PostAsync($"/assistance-requests/{request.Id}/unacknowledge", NoBody.Json());
        Assert.Equal(HttpStatusCode.OK, givenBack.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Acknowledge(request.Id, "Bob")).StatusCode);

        var resolve = await Http.PostAsJsonAsync($"/assistance-requests/{request.Id}/resolve", new { by = "Bob", note = "refunded" });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var again = await Http.PostAsJsonAsync($"/assistance-requests/{request.Id}/resolve", new { by = "Carol" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var view = (await again.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
        Assert.Equal(new ResolutionView("Bob", view.Resolution!.At, "refunded"), view.Resolution);
        var late = await Acknowledge(request.Id, "Carol");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("resolved by Bob", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var resolvedList = await Http.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Resolved&topic=quiet");
        Assert.Equal(request.Id, resolvedList.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task No_queued_notice_of_a_request_goes_out_after_its_acknowledgement_was_answered()
    {
        var requests = new List<AssistanceRequestView>();
        for (var i = 0; i < 8; i++) requests.Add(await Submit("slow", $"queued {i}"));
        await Eventually.True(() => Bodies(fixture.Slow, requests[0].Id).Any(), "the first request at the slow channel");
        // Held, and with no send under way, the channel sends nothing until resumed: every acknowledgement meets its notice queued.
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync("/channels/slow/pause", NoBody.Json())).StatusCode);
        await Eventually.Until(() => Channel("slow"), slow => slow.InFlight == 0, "no send under way on the slow channel");
        var arrivedBefore = fixture.Slow.Requests.Count;
        foreach (var request in requests.Skip(1))
            Assert.Equal(HttpStatusCode.OK, (await Acknowledge(request.Id, "Alice")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync("/channels/slow/resume", NoBody.Json())).StatusCode);

        // Queued after every acknowledgement was answered, so it goes after anything they left: once it is there, all of that went.
        var sentinel = await Submit("slow", "queued after the acknowledgements");
        await Eventually.True(() => Bodies(fixture.Slow, sentinel.Id).Any(), "the sentinel at the slow channel", TimeSpan.FromSeconds(20));
        var afterwards = fixture.Slow.Requests.Skip(arrivedBefore).Where(r => r.Body.Contains("\"kind\":\"request\"")).ToArray();
        Assert.All(requests.Skip(1), r => Assert.DoesNotContain(afterwards, a => a.Body.Contains(r.Id.ToString())));
    }

    [Fact]
    public async Task A_send_under_way_when_its_request_is_acknowledged_is_stopped_before_the_answer_and_never_goes_again()
    {
        var marker = $"hangs {Guid.NewGuid()}";
        fixture.Slow.Respond = (r, _) => r.Body.Contains(marker) ? new Reply(Hang: true) : Reply.Ok;
        try
        {
            var request = await Submit("slow", marker);
            await Eventually.True(() => Bodies(fixture.Slow, request.Id).Any(), "the hanging send at the slow channel", TimeSpan.FromSeconds(20));
            Assert.Equal(1, (await Channel("slow")).InFlight);

            Assert.Equal(HttpStatusCode.OK, (await Acknowledge(request.Id, "Alice")).StatusCode);

            // The answer waited for the send to stop: nothing of it is under way, stored or held, so it can never go again.
            var slow = await Channel("slow");
            Assert.Equal(0, slow.InFlight);
            Assert.Equal(0, slow.Pending);
            Assert.Equal(DeliveryStatus.Cancelled, (await fixture.Api.GetAsync(request.Id)).Deliveries.Single().Status);
            Assert.Single(Bodies(fixture.Slow, request.Id), b => b.GetProperty("kind").GetString() == "request");
        }
        finally
        {
            fixture.Slow.Respond = (_, _) => Reply.Ok;
        }
    }

    private async Task<ChannelView> Channel(string name) =>
        (await Http.GetFromJsonAsync<ChannelView[]>("/channels", ApiFactory.Json))!.Single(c => c.Name == name);

    private Task<IReadOnlyList<StoredNotice>> Scheduled(string channel) =>
        fixture.Api.Services.GetRequiredService<IChannelQueueStore>().ReadAsync(ChannelSchedule.QueueOf(channel), null, 10_000);

    [Fact]
    public async Task Bad_lifecycle_input_is_a_clear_400_and_an_unknown_request_404()
    {
        var request = await Submit("quiet", "Validation");
        var tooLong = await Http.PostAsJsonAsync($"/assistance-requests/{request.Id}/acknowledge", new { by = new string('x', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var wrongVia = await Http.PostAsJsonAsync($"/assistance-requests/{request.Id}/acknowledge", new { by = "Alice", via = "link" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongVia.StatusCode);
        var longNote = await Http.PostAsJsonAsync($"/assistance-requests/{request.Id}/resolve", new { note = new string('x', 2001) });
        Assert.Equal(HttpStatusCode.BadRequest, longNote.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Acknowledge(Guid.NewGuid(), "Alice")).StatusCode);
        var noBody = await Http.PostAsync($"/assistance-requests/{request.Id}/acknowledge", NoBody.Json());
        Assert.Equal(HttpStatusCode.OK, noBody.StatusCode);
        Assert.Equal("api", (await noBody.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Acknowledgement!.By);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/assistance-requests?status=Pending")).StatusCode);
    }

    private IEnumerable<(string Type, string Id, string Timestamp, string Signature, string Body)> Events(Guid requestId) =>
        fixture.Events.Requests
            .Where(r => r.Body.Contains(requestId.ToString()))
            .Select(r => (JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()!, r.Header("webhook-id")!, r.Header("webhook-timestamp")!, r.Header("webhook-signature")!, r.Body));
}
