using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using Json.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Channels;

/// <summary>The Teams sender against a real HTTP server answering as a Workflows webhook does, every card checked against the schema read from Microsoft's pages.</summary>
public sealed class TeamsSenderTests : IAsyncLifetime
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
    private const string TakeUrl = "https://help.example.test/take/AQGi.abc-_";

    /// <summary>Text a customer or a person may write, each meaning something to some renderer.</summary>
    public static readonly TheoryData<string> Hostile = new()
    {
        "[click](javascript:alert(1)) and **bold** and _italic_",
        "- a list\r- of items\n1. numbered",
        "<at>Everyone</at> @everyone <@123> <!channel>",
        "<b>html</b> <script>alert(1)</script> &amp; &lt;",
        "![image](https://evil.example/x.png) `code` > quote # heading",
        "{{DATE(2017-02-14T06:08:39Z, SHORT)}} ${titleText}",
        "line one\n\nline two \\ backslash \"quotes\" é 🙂",
    };

    private TeamsWorkflowReceiver teams = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync() => teams = await TeamsWorkflowReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await teams.DisposeAsync();
    }

    private static OutgoingNotice Notice(string description, NoticeKind kind = NoticeKind.Request, string? by = null, string? conversation = "https://chat.example.test/c/42") =>
        new(RequestId, "teams", "sales", description, Created)
        {
            Kind = kind,
            By = by,
            TakeUrl = kind is NoticeKind.Request or NoticeKind.StillWaiting ? TakeUrl : null,
            ConversationUrl = conversation,
            At = Created.AddMinutes(kind == NoticeKind.Request ? 0 : 5),
        };

    private Task<SendResult> Send(OutgoingNotice notice) => new TeamsSender(http, teams.Url, TimeProvider.System).SendAsync(notice, CancellationToken.None);

    private static JsonObject Card(string body) => JsonNode.Parse(body)!["attachments"]![0]!["content"]!.AsObject();

    private static string[] Texts(JsonObject card) =>
        [.. card["body"]!.AsArray().SelectMany(b => b!["inlines"]!.AsArray()).Select(r => r!["text"]!.GetValue<string>())];

    private static (string Title, string Url)[] Actions(JsonObject card) =>
        [.. (card["actions"]?.AsArray() ?? []).Select(a => (a!["title"]!.GetValue<string>(), a["url"]!.GetValue<string>()))];

    [Fact]
    public async Task A_request_is_an_Adaptive_Card_with_its_title_text_age_and_Take_it_and_Teams_accepts_it()
    {
        var result = await Send(Notice("I need help with my order"));

        Assert.Equal(SendResult.Delivered, result);
        var post = Assert.Single(teams.Requests);
        Assert.StartsWith("application/json", post.Header("content-type"));
        Assert.Contains("sig=SECRETSIGNATURE", post.Path); // the whole URL, query and all, is where it goes
        AssertMatchesSchema(post.Body);
        var card = Card(post.Body);
        Assert.Equal("1.2", card["version"]!.GetValue<string>());
        Assert.Equal(
            ["Assistance request: sales", "I need help with my order", "Received 2026-11-26 10:00 UTC, waiting 0 s", $"Request {RequestId}"],
            Texts(card));
        Assert.Equal([("Take it", TakeUrl), ("Join the conversation", "https://chat.example.test/c/42")], Actions(card));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Text_from_a_request_is_only_ever_a_TextRun_which_renders_no_markdown(string text)
    {
        foreach (var kind in new[] { NoticeKind.Request, NoticeKind.StillWaiting, NoticeKind.Taken, NoticeKind.Resolved })
        {
            var body = Encoding.UTF8.GetString(TeamsSender.Body(Notice(text, kind, by: text)));

            AssertMatchesSchema(body);
            var card = Card(body);
            // No element that renders markdown (TextBlock, FactSet, fallbackText) is used at all.
            Assert.All(card["body"]!.AsArray(), b => Assert.Equal("RichTextBlock", b!["type"]!.GetValue<string>()));
            Assert.Null(card["fallbackText"]);
            // The text as written: whole in a request's card, its first words where a later card names the request.
            var expected = kind is NoticeKind.Request or NoticeKind.StillWaiting ? text : NoticeText.FirstWords(text, NoticeText.NamingLength);
            Assert.Contains(Texts(card), t => t.Contains(expected, StringComparison.Ordinal));
            // The only links are the card's own actions, and never to what the text says.
            Assert.All(Actions(card), a => Assert.DoesNotContain("javascript", a.Url, StringComparison.OrdinalIgnoreCase));
            Assert.All(Actions(card), a => Assert.Contains(a.Url, new[] { TakeUrl, "https://chat.example.test/c/42" }));
        }
    }

    [Fact]
    public void The_request_text_keeps_its_lines_and_characters_exactly()
    {
        const string text = "line one\n\nline two \\ \"quoted\" <b>é</b> 🙂 [x](y)";

        var card = Card(Encoding.UTF8.GetString(TeamsSender.Body(Notice(text))));

        Assert.Equal(text, Texts(card)[1]);
    }

    [Theory]
    [InlineData("https://chat.example.test/c/(42)]?q=a b", "https://chat.example.test/c/(42)%5D?q=a%20b")]
    [InlineData("https://chat.example.test/c/42#x y", "https://chat.example.test/c/42#x%20y")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("ftp://chat.example.test/x", null)]
    [InlineData("not a url", null)]
    public void A_conversation_URL_is_an_action_s_data_percent_encoded_or_no_action_at_all(string url, string? action)
    {
        var body = Encoding.UTF8.GetString(TeamsSender.Body(Notice("help", conversation: url)));

        AssertMatchesSchema(body);
        var conversation = Actions(Card(body)).Where(a => a.Title == "Join the conversation").Select(a => a.Url).SingleOrDefault();
        Assert.Equal(action, conversation);
    }

    [Theory]
    [InlineData(NoticeKind.StillWaiting, "Still waiting (5 min): sales", "waiting 5 min")]
    [InlineData(NoticeKind.Taken, "Taken by Grace", "Taken by Grace: sales — “My order #42 never arrived” (waited 5 min)")]
    [InlineData(NoticeKind.Resolved, "Resolved by Grace", "Resolved by Grace: sales — “My order #42 never arrived” (after 5 min)")]
    public async Task Every_later_notice_is_a_card_that_names_the_request_in_words(NoticeKind kind, string title, string says)
    {
        var result = await Send(Notice("My order #42 never arrived", kind, by: "Grace"));

        Assert.Equal(SendResult.Delivered, result);
        var body = Assert.Single(teams.Requests).Body;
        AssertMatchesSchema(body);
        var texts = Texts(Card(body));
        Assert.Equal(title, texts[0]);
        Assert.Contains(texts, t => t.Contains(says, StringComparison.Ordinal));
        Assert.Equal($"Request {RequestId}", texts[^1]);
        Assert.Equal(kind == NoticeKind.StillWaiting ? 2 : 0, Actions(Card(body)).Length);
    }

    [Fact]
    public void A_text_too_long_for_a_Teams_message_is_cut_to_fit_never_inside_a_pair_and_says_so()
    {
        // 4,000 characters whose JSON is 12 KB, beside a 2,000-character conversation URL that percent-encoding makes 12 KB.
        var description = new string('\u0001', 1000) + string.Concat(Enumerable.Repeat("🙂", 1500));
        var conversation = "https://chat.example.test/" + new string('é', 2000);

        var bytes = TeamsSender.Body(Notice(description, conversation: conversation));

        Assert.InRange(bytes.Length, TeamsSender.MaxBodyBytes - 100, TeamsSender.MaxBodyBytes); // cut no more than it must
        var body = Encoding.UTF8.GetString(bytes);
        AssertMatchesSchema(body);
        var texts = Texts(Card(body));
        Assert.EndsWith("…", texts[1]);
        var kept = texts[1][..^1];
        Assert.StartsWith(kept, description);
        Assert.True(kept.Length > 1000, $"{kept.Length} characters kept");
        Assert.False(char.IsHighSurrogate(kept[^1]), "cut inside a surrogate pair");
        Assert.Equal(TeamsSender.CutNote, texts[2]);
        Assert.Contains(Actions(Card(body)), a => a.Title == "Join the conversation");
    }

    [Fact]
    public void A_text_of_the_longest_length_a_request_may_have_goes_whole()
    {
        var description = new string('é', 4000); // 4,000 characters, 8,000 bytes

        var body = Encoding.UTF8.GetString(TeamsSender.Body(Notice(description, conversation: "https://chat.example.test/" + new string('x', 2000))));

        Assert.Equal(description, Texts(Card(body))[1]);
        Assert.DoesNotContain(TeamsSender.CutNote, Texts(Card(body)));
    }

    [Fact]
    public async Task Two_hundred_accepted_is_delivered_too()
    {
        teams.Script("two hundred", _ => new Reply(200, ""));

        Assert.Equal(SendResult.Delivered, await Send(Notice("two hundred")));
    }

    [Fact]
    public async Task The_stand_in_refuses_what_the_trigger_s_schema_refuses_and_the_reason_is_kept()
    {
        using var malformed = await http.PostAsJsonAsync(teams.Url, new { type = "message", attachments = new[] { new { contentType = "text/plain", content = new { } } } });
        Assert.Equal(400, (int)malformed.StatusCode);

        teams.Script("malformed", _ => new Reply(400, """{"error":{"code":"TriggerInputSchemaMismatch","message":"'attachments' is missing"}}""", ContentType: "application/json"));
        var result = await Send(Notice("malformed"));

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.StartsWith("HTTP 400", result.Error);
        Assert.Contains("TriggerInputSchemaMismatch", result.Error);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        teams.Script("busy", _ => TeamsWorkflowReceiver.Throttled(30));

        var result = await Send(Notice("busy"));

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(502, null)]
    [InlineData(503, "7")]
    public async Task Server_errors_are_retried_with_their_Retry_After(int status, string? retryAfter)
    {
        teams.Script("down", _ => new Reply(status, """{"error":{"code":"ServiceUnavailable"}}""", RetryAfter: retryAfter, ContentType: "application/json"));

        var result = await Send(Notice("down"));

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.Equal(retryAfter is null ? null : TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)] // the flow was deleted or turned off
    public async Task Other_4xx_fail_at_once(int status)
    {
        teams.Script("refused", _ => new Reply(status, """{"error":{"code":"Refused"}}""", ContentType: "application/json"));

        var result = await Send(Notice("refused"));

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains(status.ToString(), result.Error);
    }

    [Theory]
    [InlineData(null, "set Channels__Ops__Url")]
    [InlineData("prod-00.westeurope.logic.azure.com/workflows/SECRETPATH?sig=SECRETSIG", "not an absolute URL")]
    [InlineData("ftp://prod-00.westeurope.logic.azure.com/workflows/SECRETPATH?sig=SECRETSIG", "ftp://prod-00.westeurope.logic.azure.com/")]
    public void A_missing_or_mistyped_Url_is_reported_without_its_secret(string? url, string shown)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Channels:Ops:Kind"] = "Teams", ["Channels:Ops:Url"] = url }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TimeProvider.System).AddHttpClient().BuildServiceProvider();
        var channel = new ChannelCatalog([new TeamsKind(), new SlackKind(), new EmailKind(), new ConsoleKind()], configuration).Find("ops")!;

        var setup = channel.Kind.CreateSender(channel, services);

        Assert.Equal((0.08, 1), (channel.RatePerSecond, channel.Burst));
        Assert.Null(setup.Sender);
        Assert.Contains(shown, setup.Problem);
        Assert.DoesNotContain("SECRET", setup.Problem);
    }

    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Channels", "TestData", "teams-workflow-card.schema.json"));

    /// <summary>The body holds to the trigger's request schema and to the Adaptive Card schema's required fields, as written down in TestData.</summary>
    internal static void AssertMatchesSchema(string body)
    {
        using var document = JsonDocument.Parse(body);
        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(results.IsValid, string.Join("\n", (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))) + "\n" + body);
    }
}
