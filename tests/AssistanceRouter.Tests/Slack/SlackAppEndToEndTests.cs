using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Slack;

/// <summary>
/// The "Done when", end to end: the API and its silo, the built-in <c>slack</c> channel as a Slack app on the
/// stand-in Web API, presses signed as Slack signs them.
/// </summary>
public sealed class SlackAppEndToEndTests(SlackAppFixture fixture, ITestOutputHelper output) : IClassFixture<SlackAppFixture>
{
    private SlackApiFactory Api => fixture.Api;
    private SlackWebApi Slack => fixture.Slack;

    [Fact]
    public async Task A_request_is_posted_with_Take_it_a_press_takes_it_as_the_Slack_user_and_the_message_and_its_thread_follow_to_resolved()
    {
        var client = Api.CreateClient();
        var topic = "app" + Guid.NewGuid().ToString("N")[..8];
        var route = await client.PutAsJsonAsync($"/topics/{topic}", new
        {
            channels = new[] { "slack" },
            escalation = new { steps = new[] { new { after = "00:00:03", channels = new[] { "slack" } } } },
        });
        Assert.True(route.IsSuccessStatusCode, await route.Content.ReadAsStringAsync());
        var (_, request) = await Api.SubmitAsync(topic, "My order <#123> never arrived & the tracking link is dead");
        var id = request!.Id;

        // Posted with chat.postMessage, a Take it button carrying the request id.
        var root = (await Slack.WaitForMessagesAsync(m => m.ThreadTs is null && Mentions(m, id), 1)).Single();
        output.WriteLine($"The request's message as posted:\n{root.Body.ToJsonString(new() { WriteIndented = true })}");
        Assert.Equal(["take"], Buttons(root));
        Assert.Contains("&lt;#123&gt;", root.Body.ToJsonString().Replace("\\u0026", "&"));

        // The escalation reminder is a reply in its thread, not a new post.
        var reminder = (await Slack.WaitForMessagesAsync(m => m.ThreadTs == root.Ts && Text(m).Contains("Still waiting"), 1)).First();
        Assert.Equal(["take"], Buttons(reminder));

        // Dana presses Take it: 200, the request is hers via slack, the message says so with Resolve and Give back.
        var pressed = await client.SendAsync(SlackInteractions.Signed(SlackInteractions.Form(
            SlackInteractions.Payload("take", id, "dana", Slack.ResponseUrl("dana-take"), root.Ts))));
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        var taken = await Api.WaitForAsync(id, r => r.Acknowledgement is not null);
        Assert.Equal(("dana", AcknowledgementVia.Slack), (taken.Acknowledgement!.By, taken.Acknowledgement.Via));
        var updated = await WaitForRoot(root.Ts, m => Text(m).Contains("Taken by"));
        output.WriteLine($"Once Dana has it (chat.update):\n{updated.Body.ToJsonString(new() { WriteIndented = true })}");
        Assert.Equal(["resolve", "give_back"], Buttons(updated));
        Assert.Contains("*dana*", Blocks(updated));
        await Slack.WaitForMessagesAsync(m => m.ThreadTs == root.Ts && Text(m).StartsWith("Taken by dana", StringComparison.Ordinal), 1);

        // Priya presses Take it too: 200 for Slack, nothing changes, and she alone hears who has it and since when.
        var lost = await client.SendAsync(SlackInteractions.Signed(SlackInteractions.Form(
            SlackInteractions.Payload("take", id, "priya", Slack.ResponseUrl("priya-take"), root.Ts))));
        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        var ephemeral = await Slack.WaitForResponseAsync("priya-take"); // the class's tests share the stand-in
        var reply = JsonNode.Parse(ephemeral.Body)!;
        Assert.Equal("ephemeral", reply["response_type"]!.GetValue<string>());
        Assert.Contains("dana has request", reply["text"]!.GetValue<string>());
        Assert.Contains(" since ", reply["text"]!.GetValue<string>());
        Assert.Equal("dana", (await Api.GetAsync(id)).Acknowledgement!.By);

        // Dana resolves from Slack: resolved by her, the message shows it with no button left, the thread hears it.
        var resolve = await client.SendAsync(SlackInteractions.Signed(SlackInteractions.Form(
            SlackInteractions.Payload("resolve", id, "dana", Slack.ResponseUrl("dana-resolve"), root.Ts))));
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var resolved = await Api.WaitForAsync(id, r => r.Resolution is not null);
        Assert.Equal("dana", resolved.Resolution!.By);
        var final = await WaitForRoot(root.Ts, m => Text(m).Contains("Resolved by"));
        output.WriteLine($"Once resolved (chat.update):\n{final.Body.ToJsonString(new() { WriteIndented = true })}");
        Assert.Empty(Buttons(final));
        await Slack.WaitForMessagesAsync(m => m.ThreadTs == root.Ts && Text(m).StartsWith("Resolved by dana", StringComparison.Ordinal), 1);

        // One top-level post for the request, whatever followed; every Web API call carried the bot token.
        Assert.Single(Slack.Messages, m => m.ThreadTs is null && Mentions(m, id));
        Assert.DoesNotContain(Slack.Responses, r => r.Path.Contains("dana"));
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task Give_back_pressed_by_whoever_has_it_opens_the_request_again_and_the_message_offers_Take_it_again()
    {
        var (_, request) = await Api.SubmitAsync("sales", "Give-back check " + Guid.NewGuid());
        var id = request!.Id;
        var root = (await Slack.WaitForMessagesAsync(m => m.ThreadTs is null && Mentions(m, id), 1)).Single();
        Assert.Equal(HttpStatusCode.OK, (await Press("take", id, "sam", root.Ts)).StatusCode);
        await WaitForRoot(root.Ts, m => Text(m).Contains("Taken by"));

        // Someone else cannot give Sam's request back from Slack; Sam can.
        Assert.Equal(HttpStatusCode.OK, (await Press("give_back", id, "lee", root.Ts, "lee-give")).StatusCode);
        var refused = await Slack.WaitForResponseAsync("lee-give");
        Assert.Contains("sam has this request", JsonNode.Parse(refused.Body)!["text"]!.GetValue<string>());
        Assert.Equal("sam", (await Api.GetAsync(id)).Acknowledgement?.By);

        Assert.Equal(HttpStatusCode.OK, (await Press("give_back", id, "sam", root.Ts)).StatusCode);
        await Api.WaitForAsync(id, r => r.Acknowledgement is null);
        var open = await WaitForRoot(root.Ts, m => Text(m).Contains("Given back"));
        Assert.Equal(["take"], Buttons(open));
        await Slack.WaitForMessagesAsync(m => m.ThreadTs == root.Ts && Text(m).StartsWith("Given back by sam", StringComparison.Ordinal), 1);
    }

    [Fact]
    public async Task Two_people_pressing_Take_it_at_once_exactly_one_has_it_and_the_other_hears_who()
    {
        var (_, request) = await Api.SubmitAsync("sales", "Race " + Guid.NewGuid());
        var id = request!.Id;
        var root = (await Slack.WaitForMessagesAsync(m => m.ThreadTs is null && Mentions(m, id), 1)).Single();
        var marker = Guid.NewGuid().ToString("N")[..8];

        var answers = await Task.WhenAll(
            Press("take", id, "ana", root.Ts, $"ana-{marker}"),
            Press("take", id, "ben", root.Ts, $"ben-{marker}"));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var winner = (await Api.WaitForAsync(id, r => r.Acknowledgement is not null)).Acknowledgement!.By;
        var loser = winner == "ana" ? "ben" : "ana";
        var heard = await Eventually.Until(() => Slack.Responses.Where(r => r.Path.Contains(marker)).ToArray(), r => r.Length >= 1,
            "the loser's ephemeral reply", TimeSpan.FromSeconds(20));
        var single = Assert.Single(heard);
        Assert.Contains($"{loser}-{marker}", single.Path);
        Assert.Contains($"{winner} has request", JsonNode.Parse(single.Body)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_429_from_chat_postMessage_pauses_the_channel_as_long_as_Retry_After_says_and_the_request_is_posted_once()
    {
        var marker = Guid.NewGuid().ToString("N");
        Slack.Script(marker, n => n == 1 ? SlackWebApi.RateLimited(1) : null);
        var (_, request) = await Api.SubmitAsync("sales", $"Rate limited {marker}");

        var delivered = await Api.WaitForAsync(request!.Id, r => r.Status == RequestStatus.Delivered);
        var slack = delivered.Deliveries.Single(d => d.Channel == "slack");
        Assert.Equal(2, slack.Attempts);
        Assert.Contains("HTTP 429", slack.RecentAttempts[0].Error);
        Assert.True(slack.RecentAttempts[1].At - slack.RecentAttempts[0].At >= TimeSpan.FromSeconds(1));
        Assert.Single(Slack.Messages, m => Mentions(m, request.Id));
    }

    private Task<HttpResponseMessage> Press(string action, Guid id, string user, string ts, string? responseName = null) =>
        Api.CreateClient().SendAsync(SlackInteractions.Signed(SlackInteractions.Form(
            SlackInteractions.Payload(action, id, user, Slack.ResponseUrl(responseName ?? $"{user}-{action}-{Guid.NewGuid():N}"), ts))));

    private async Task<SlackMessage> WaitForRoot(string ts, Func<SlackMessage, bool> done) =>
        (await Slack.WaitForMessagesAsync(m => m.Ts == ts && done(m), 1)).Single();

    private void AssertNoSecretLogged()
    {
        var logged = string.Join("\n", Api.AllLogs.Entries.Select(e => e.Text));
        Assert.NotEmpty(Api.AllLogs.Entries);
        Assert.DoesNotContain(SlackWebApi.Token, logged);
        Assert.DoesNotContain("STANDINBOTTOKEN", logged);
        Assert.DoesNotContain(SlackAppFixture.SigningSecret, logged);
        Assert.DoesNotContain("SECRETRESPONSEPATH", logged);
    }

    private static bool Mentions(SlackMessage message, Guid id) => message.Body.ToJsonString().Contains(id.ToString(), StringComparison.Ordinal);

    private static string Text(SlackMessage message) => message.Body["text"]!.GetValue<string>();

    private static string Blocks(SlackMessage message) => message.Body["blocks"]!.ToJsonString();

    internal static string[] Buttons(SlackMessage message) =>
        [.. message.Body["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray()).Select(e => e!["action_id"]!.GetValue<string>())];
}
