using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Channels;

/// <summary>The Discord sender against a real HTTP server answering as Discord's Execute Webhook does, limits, 429s and 404s included.</summary>
public sealed partial class DiscordSenderTests : IAsyncLifetime
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
    private const string TakeUrl = "https://help.example.test/take/AQGi.abc-_";

    /// <summary>Everything Discord's markdown does something with.</summary>
    public static readonly TheoryData<string> Hostile = new()
    {
        "@everyone @here <@123> <@!123> <@&456> <#789> and </airhorn:816437322781949972>",
        "**bold** *it* _it_ __under__ ~~strike~~ ||spoiler|| `code` ```block```",
        "[click](https://evil.example) [x](<javascript:alert(1)>) https://evil.example/a <https://evil.example>",
        "# heading\n## second\n-# subtext\n> quote\n>>> all quoted\n- list\n* list\n1. numbered\n12. twelve",
        "<:emoji:123> <a:anim:456> <t:1618953630:R> <id:browse> :smile:",
        "back\\slash \\*not bold\\* \\\\ double",
        "<b>html</b> &amp; \"quotes\" é 🙂 discord.gg/invite",
    };

    private DiscordWebhookReceiver discord = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync() => discord = await DiscordWebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await discord.DisposeAsync();
    }

    private static OutgoingNotice Notice(string description, NoticeKind kind = NoticeKind.Request, string? by = null, string? conversation = "https://chat.example.test/c/42") =>
        new(RequestId, "discord", "sales", description, Created)
        {
            Kind = kind,
            By = by,
            TakeUrl = kind is NoticeKind.Request or NoticeKind.StillWaiting ? TakeUrl : null,
            ConversationUrl = conversation,
            At = Created.AddMinutes(kind == NoticeKind.Request ? 0 : 5),
        };

    private DiscordSender Sender() => new(http, DiscordSender.Waiting(discord.Url), TimeProvider.System);

    private static JsonArray Embeds(string body) => JsonNode.Parse(body)!["embeds"]!.AsArray();

    private static string Text(JsonNode? embed, string field) => embed?[field]?.GetValue<string>() ?? "";

    /// <summary>What Discord shows for an escaped text: each backslash-escaped punctuation character as itself.</summary>
    internal static string Shown(string escaped) => EscapedCharacter().Replace(escaped, "$1");

    /// <summary>
    /// True when nothing in the escaped text can start Discord markdown, wherever a piece of it begins: no bare
    /// <c>* _ ~ | ` [ ] &lt; &gt; # -</c> or backslash, no bare <c>://</c>, no bare <c>.</c> after a digit.
    /// </summary>
    private static bool Inert(string escaped)
    {
        var bare = EscapedCharacter().Replace(escaped, "x");
        return bare.IndexOfAny(['*', '_', '~', '|', '`', '[', ']', '<', '>', '#', '-', '\\']) < 0 && !bare.Contains("://") && !DigitDot().IsMatch(bare);
    }

    [Fact]
    public async Task A_request_is_an_embed_whose_title_opens_the_take_page_with_no_mention_parsed_and_Discord_saves_it()
    {
        var result = await Sender().SendAsync(Notice("I need help with my order"), CancellationToken.None);

        Assert.Equal(SendResult.Delivered, result);
        var post = Assert.Single(discord.Requests);
        Assert.Equal("/api/webhooks/1234567890/SECRETTOKEN?wait=true", post.Path);
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
        var embeds = body["embeds"]!.AsArray();
        Assert.Equal(2, embeds.Count);
        Assert.Equal("Assistance request: sales", Text(embeds[0], "title"));
        Assert.Equal(TakeUrl, Text(embeds[0], "url"));
        Assert.Equal(("Take it", TakeUrl), (Text(embeds[0]!["author"], "name"), Text(embeds[0]!["author"], "url")));
        Assert.Equal("I need help with my order", Text(embeds[0], "description"));
        Assert.Equal("2026-11-26T10:00:00.000Z", Text(embeds[0], "timestamp"));
        Assert.Equal($"Request {RequestId}", Text(embeds[0]!["footer"], "text"));
        Assert.Equal(("Join the conversation", "https://chat.example.test/c/42"), (Text(embeds[1], "title"), Text(embeds[1], "url")));
    }

    [Fact]
    public async Task Without_wait_Discord_answers_204_which_is_delivered_too()
    {
        var result = await new DiscordSender(http, discord.Url, TimeProvider.System).SendAsync(Notice("no wait"), CancellationToken.None);

        Assert.Equal(SendResult.Delivered, result);
        Assert.Equal("/api/webhooks/1234567890/SECRETTOKEN", Assert.Single(discord.Requests).Path);
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/1/t", "https://discord.com/api/webhooks/1/t?wait=true")]
    [InlineData("https://discord.com/api/webhooks/1/t?thread_id=9", "https://discord.com/api/webhooks/1/t?thread_id=9&wait=true")]
    [InlineData("https://discord.com/api/webhooks/1/t?wait=false&thread_id=9", "https://discord.com/api/webhooks/1/t?thread_id=9&wait=true")]
    public void The_webhook_is_always_asked_to_wait_and_keeps_its_thread(string url, string waiting) =>
        Assert.Equal(waiting, DiscordSender.Waiting(new Uri(url)).AbsoluteUri);

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Text_from_a_request_is_shown_as_written_and_pings_nobody_in_every_kind_of_notice(string text)
    {
        foreach (var kind in new[] { NoticeKind.Request, NoticeKind.StillWaiting, NoticeKind.Taken, NoticeKind.Resolved })
        {
            var result = await Sender().SendAsync(Notice(text, kind, by: text), CancellationToken.None);
            Assert.Equal(SendResult.Delivered, result);
        }

        Assert.Equal(4, discord.Requests.Count);
        foreach (var post in discord.Requests)
        {
            var body = JsonNode.Parse(post.Body)!;
            Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
            Assert.Null(body["content"]);
            foreach (var embed in body["embeds"]!.AsArray())
                foreach (var field in new[] { "title", "description" })
                    Assert.True(Inert(Text(embed, field)), $"{field}: {Text(embed, field)}");
        }
        var request = Embeds(discord.Requests[0].Body);
        Assert.Equal(text, Shown(Text(request[0], "description")));
        var taken = Embeds(discord.Requests[2].Body).Single();
        Assert.StartsWith(Shown(Text(taken, "title")).TrimEnd('…'), $"Taken by {text}");
        Assert.Contains(NoticeText.FirstWords(text, NoticeText.NamingLength), Shown(Text(taken, "description")));
    }

    [Theory]
    [InlineData(NoticeKind.Taken, "Taken by Grace", "Taken by Grace: sales — “My order #42 never arrived” (waited 5 min)")]
    [InlineData(NoticeKind.Resolved, "Resolved by Grace", "Resolved by Grace: sales — “My order #42 never arrived” (after 5 min)")]
    public async Task Who_took_or_resolved_it_is_one_embed_that_names_the_request_in_words(NoticeKind kind, string title, string description)
    {
        await Sender().SendAsync(Notice("My order #42 never arrived", kind, by: "Grace"), CancellationToken.None);

        var embed = Embeds(Assert.Single(discord.Requests).Body).Single();
        Assert.Equal(title, Shown(Text(embed, "title")));
        Assert.Equal(description, Shown(Text(embed, "description")));
        Assert.Null(embed!["url"]);
        Assert.Equal($"Request {RequestId}", Text(embed["footer"], "text"));
    }

    [Theory]
    [InlineData("https://chat.example.test/c/(42)]?q=a b", "https://chat.example.test/c/(42)%5D?q=a%20b")]
    [InlineData("javascript:alert(1)", null)]
    public void A_conversation_URL_goes_only_where_an_embed_takes_a_URL_as_data(string url, string? link)
    {
        var embeds = DiscordSender.Payload(Notice("help", conversation: url))["embeds"]!.AsArray();

        var conversation = embeds.SingleOrDefault(e => Text(e, "title") == DiscordSender.ConversationTitle);
        Assert.Equal(link, conversation is null ? null : Text(conversation, "url"));
        Assert.DoesNotContain("javascript", embeds.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(DiscordWebhookReceiver.Problem("", embeds));
    }

    [Theory]
    [InlineData('a', 2000, 1000, true, 1)]  // 4,000 characters, 4,000 escaped: one embed
    [InlineData('-', 1500, 750, true, 2)]   // 3,000 characters, 4,500 escaped: past 4,096, so two embeds
    [InlineData('*', 2000, 1000, false, 2)] // 4,000 characters, 6,000 escaped: past the 6,000 of a whole message, so cut
    public async Task A_long_text_is_split_across_embeds_within_Discord_s_limits_never_inside_an_escape(char fill, int fills, int emoji, bool whole, int pieceCount)
    {
        var description = new string(fill, fills) + string.Concat(Enumerable.Repeat("🙂", emoji));

        var result = await Sender().SendAsync(Notice(description), CancellationToken.None);

        Assert.Equal(SendResult.Delivered, result); // the stand-in refuses whatever breaks a limit
        var embeds = Embeds(Assert.Single(discord.Requests).Body);
        Assert.Null(DiscordWebhookReceiver.Problem("", embeds));
        Assert.InRange(embeds.Count, 1, DiscordSender.MaxEmbeds);
        var pieces = embeds.Where(e => Text(e, "title") != DiscordSender.ConversationTitle).Select(e => Text(e, "description")).ToArray();
        Assert.Equal(pieceCount, pieces.Length);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, DiscordSender.DescriptionLimit));
        Assert.All(pieces, p => Assert.True(Inert(p), "a piece ends inside an escape"));
        Assert.All(pieces, p => Assert.False(char.IsHighSurrogate(p[^1]), "a piece ends inside a surrogate pair"));
        var shown = Shown(string.Concat(pieces));
        if (whole)
        {
            Assert.Equal(description, shown);
        }
        else
        {
            Assert.EndsWith(" … (the whole text is on the Take it page)", shown);
            Assert.StartsWith(shown[..shown.IndexOf(" … ", StringComparison.Ordinal)], description);
            Assert.InRange(embeds.Sum(e => Text(e, "title").Length + Text(e, "description").Length + Text(e?["footer"], "text").Length + Text(e?["author"], "name").Length),
                DiscordSender.TotalLimit - 2, DiscordSender.TotalLimit); // cut no more than it must
        }
    }

    [Fact]
    public async Task A_429_pauses_for_the_longer_of_retry_after_and_Retry_After_rounded_up_never_shorter()
    {
        discord.Script("as discord does", _ => DiscordWebhookReceiver.RateLimited(1.5)); // Retry-After: 2
        discord.Script("header rounded down", _ => DiscordWebhookReceiver.RateLimited(1.5, retryAfterHeader: "1"));
        discord.Script("fraction of a millisecond", _ => DiscordWebhookReceiver.RateLimited(1.2341, retryAfterHeader: "0"));

        var asDiscordDoes = await Sender().SendAsync(Notice("as discord does"), CancellationToken.None);
        var headerRoundedDown = await Sender().SendAsync(Notice("header rounded down"), CancellationToken.None);
        var fraction = await Sender().SendAsync(Notice("fraction of a millisecond"), CancellationToken.None);

        Assert.Equal((SendStatus.Transient, TimeSpan.FromSeconds(2)), (asDiscordDoes.Status, asDiscordDoes.RetryAfter));
        Assert.Equal((SendStatus.Transient, TimeSpan.FromSeconds(1.5)), (headerRoundedDown.Status, headerRoundedDown.RetryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(1235), fraction.RetryAfter);
        Assert.Contains("You are being rate limited", asDiscordDoes.Error);
    }

    [Fact]
    public async Task A_deleted_webhook_fails_at_once_and_is_never_asked_again()
    {
        discord.Deleted = true;
        var sender = Sender();

        var first = await sender.SendAsync(Notice("first"), CancellationToken.None);
        var second = await sender.SendAsync(Notice("second"), CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, first.Status);
        Assert.Contains("10015", first.Error);
        Assert.Contains("Unknown Webhook", first.Error);
        Assert.Equal(SendStatus.Permanent, second.Status);
        Assert.Contains("10015", second.Error);
        Assert.Single(discord.Requests); // Discord: "you should not attempt to use it again"
    }

    [Fact]
    public async Task An_invalid_form_body_fails_at_once_with_Discord_s_reason()
    {
        discord.Script("invalid", _ => new Reply(400, """{"code": 50035, "errors": {"embeds": {}}, "message": "Invalid Form Body"}""", ContentType: "application/json"));

        var result = await Sender().SendAsync(Notice("invalid"), CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("Invalid Form Body", result.Error);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_are_retried(int status)
    {
        discord.Script("down", _ => new Reply(status, """{"message": "500: Internal Server Error", "code": 0}""", ContentType: "application/json"));

        var result = await Sender().SendAsync(Notice("down"), CancellationToken.None);

        Assert.Equal(SendStatus.Transient, result.Status);
    }

    [Fact]
    public void The_escape_is_undone_exactly_by_what_Discord_shows_for_any_text()
    {
        var random = new Random(25);
        string[] alphabet = ["a", "1", " ", "\n", "*", "_", "~", "|", "`", ">", "<", "#", "-", ".", "[", "]", "(", ")", ":", "/", "@", "\\", "🙂", "é", "&", "\""];
        for (var i = 0; i < 500; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            var escaped = DiscordSender.Escape(text);
            Assert.True(Inert(escaped), escaped);
            Assert.Equal(text, Shown(escaped));
        }
    }

    [Theory]
    [InlineData(null, "set Channels__Community__Url")]
    [InlineData("discord.com/api/webhooks/1/SECRETTOKEN", "not an absolute URL")]
    public void A_missing_or_mistyped_Url_is_reported_without_its_secret(string? url, string shown)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Channels:Community:Kind"] = "Discord", ["Channels:Community:Url"] = url }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TimeProvider.System).AddHttpClient().BuildServiceProvider();
        var channel = new ChannelCatalog([new DiscordKind(), new SlackKind(), new EmailKind(), new ConsoleKind()], configuration).Find("community")!;

        var setup = channel.Kind.CreateSender(channel, services);

        Assert.Equal((0.5, 1), (channel.RatePerSecond, channel.Burst));
        Assert.Null(setup.Sender);
        Assert.Contains(shown, setup.Problem);
        Assert.DoesNotContain("SECRET", setup.Problem);
    }

    [GeneratedRegex(@"\\([^0-9A-Za-z\s])")]
    private static partial Regex EscapedCharacter();

    [GeneratedRegex("[0-9][.]")]
    private static partial Regex DigitDot();
}
