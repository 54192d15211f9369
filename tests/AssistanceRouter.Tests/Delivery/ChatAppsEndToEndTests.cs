using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Links;
using AssistanceRouter.Tests.Channels;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>A topic routed to a Teams channel and a Discord channel, through the API and a real silo to the stand-ins.</summary>
public sealed class ChatAppsEndToEndTests(ChatAppsFixture fixture, ITestOutputHelper output) : IClassFixture<ChatAppsFixture>
{
    private ApiFactory Api => fixture.Api;

    [Fact]
    public async Task Teams_gets_a_card_and_Discord_an_embed_after_its_429_both_with_a_signed_take_link_and_both_hear_who_took_it()
    {
        var marker = Guid.NewGuid().ToString("N");
        fixture.Discord.Script(marker, n => n == 1 ? DiscordWebhookReceiver.RateLimited(1.5) : null); // Retry-After: 2
        var description = $"Order {marker} [click](javascript:alert(1)) **now** @everyone <@123> <b>late</b>";

        var submitted = await Api.CreateClient().PostAsJsonAsync("/assistance-requests",
            new { topic = "chat", description, conversationUrl = "https://chat.example.test/c/(42)]" });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var request = (await submitted.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
        var delivered = await Api.WaitForAsync(request.Id, r => r.Status == RequestStatus.Delivered);

        // Teams: an Adaptive Card whose text renders no markdown, and whose Take it opens a link this service signed.
        var teamsCard = fixture.Teams.Requests.Single(r => r.Body.Contains(marker, StringComparison.Ordinal)).Body;
        output.WriteLine($"Teams received:\n{Pretty(teamsCard)}");
        TeamsSenderTests.AssertMatchesSchema(teamsCard);
        var card = JsonNode.Parse(teamsCard)!["attachments"]![0]!["content"]!;
        Assert.All(card["body"]!.AsArray(), b => Assert.Equal("RichTextBlock", b!["type"]!.GetValue<string>()));
        Assert.Contains(card["body"]!.AsArray(), b => b!["inlines"]![0]!["text"]!.GetValue<string>() == description);
        var actions = card["actions"]!.AsArray();
        Assert.Equal(["Take it", "Join the conversation"], actions.Select(a => a!["title"]!.GetValue<string>()));
        await AssertSignedTakeLink(actions[0]!["url"]!.GetValue<string>(), request.Id, "teams");

        // Discord: a 429, then the embed, with the take link as the embed's URL and no mention parsed.
        var discordPosts = fixture.Discord.Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, discordPosts.Length);
        output.WriteLine($"Discord received (after a 429 with retry_after 1.5):\n{Pretty(discordPosts[1].Body)}");
        var message = JsonNode.Parse(discordPosts[1].Body)!;
        Assert.Equal("[]", message["allowed_mentions"]!["parse"]!.ToJsonString());
        var embed = message["embeds"]![0]!;
        Assert.Equal(description, DiscordSenderTests.Shown(embed["description"]!.GetValue<string>()));
        await AssertSignedTakeLink(embed["url"]!.GetValue<string>(), request.Id, "community");

        // The attempt after the 429 waited at least what Discord asked: the longer of retry_after (1.5 s) and Retry-After (2 s).
        var discord = delivered.Deliveries.Single(d => d.Channel == "community");
        Assert.Equal(2, discord.Attempts);
        var (limited, sent) = (discord.RecentAttempts[0], discord.RecentAttempts[1]);
        Assert.Equal((AttemptResult.WillRetry, AttemptResult.Delivered), (limited.Result, sent.Result));
        Assert.Contains("HTTP 429", limited.Error);
        Assert.True(sent.At - limited.At >= TimeSpan.FromSeconds(2), $"sent {(sent.At - limited.At).TotalSeconds} s after the 429");
        Assert.Equal((DeliveryStatus.Delivered, 1), (delivered.Deliveries.Single(d => d.Channel == "teams").Status, delivered.Deliveries.Single(d => d.Channel == "teams").Attempts));

        // GET /channels lists both kinds.
        var channels = await Api.CreateClient().GetFromJsonAsync<JsonElement[]>("/channels");
        Assert.Equal("Teams", channels!.Single(c => c.GetProperty("name").GetString() == "teams").GetProperty("kind").GetString());
        Assert.Equal("Discord", channels!.Single(c => c.GetProperty("name").GetString() == "community").GetProperty("kind").GetString());

        // Grace takes it: both hear it, in words that name the request.
        var taken = await Api.CreateClient().PostAsJsonAsync($"/assistance-requests/{request.Id}/acknowledge", new { by = "Grace" });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var inWords = $"chat — “Order {marker}";
        var teamsTaken = await Eventually.Until(() => fixture.Teams.Requests.FirstOrDefault(r => r.Body.Contains("Taken by Grace", StringComparison.Ordinal) && r.Body.Contains(marker, StringComparison.Ordinal)),
            found => found is not null, "Teams to hear who took it", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(25), _ => $"{fixture.Teams.Requests.Count} posts");
        TeamsSenderTests.AssertMatchesSchema(teamsTaken!.Body);
        Assert.Contains(inWords, teamsTaken.Body);
        var discordTaken = await Eventually.Until(() => fixture.Discord.Requests.FirstOrDefault(r => r.Body.Contains("Taken by Grace", StringComparison.Ordinal) && r.Body.Contains(marker, StringComparison.Ordinal)),
            found => found is not null, "Discord to hear who took it", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(25), _ => $"{fixture.Discord.Requests.Count} posts");
        var takenEmbed = JsonNode.Parse(discordTaken!.Body)!["embeds"]![0]!;
        Assert.Equal("Taken by Grace", takenEmbed["title"]!.GetValue<string>());
        Assert.Contains(inWords, DiscordSenderTests.Shown(takenEmbed["description"]!.GetValue<string>()));
        Assert.Equal("[]", JsonNode.Parse(discordTaken.Body)!["allowed_mentions"]!["parse"]!.ToJsonString());
        output.WriteLine($"Teams, taken:\n{Pretty(teamsTaken.Body)}\nDiscord, taken:\n{Pretty(discordTaken.Body)}");
    }

    private async Task AssertSignedTakeLink(string url, Guid requestId, string channel)
    {
        Assert.StartsWith($"{ChatAppsFixture.PublicUrl}take/", url);
        var (check, link) = await Api.Services.GetRequiredService<TakeLinks>().VerifyAsync(url[(url.LastIndexOf('/') + 1)..]);
        Assert.Equal(LinkCheck.Valid, check);
        Assert.Equal((requestId, channel), (link!.RequestId, link.Channel));
    }

    private static string Pretty(string json) => JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
