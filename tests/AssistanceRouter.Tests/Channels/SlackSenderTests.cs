using System.Text.Json;
using System.Text.Json.Nodes;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Channels;

/// <summary>The Slack sender against a real HTTP server on loopback answering as Slack does.</summary>
public sealed class SlackSenderTests : IAsyncLifetime
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private LoopbackReceiver slack = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync() => slack = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await slack.DisposeAsync();
    }

    private Task<SendResult> Send(string description, string topic = "sales") =>
        new SlackSender(http, slack.Url, TimeProvider.System).SendAsync(
            new OutgoingNotice(RequestId, "slack", topic, description, DateTimeOffset.Parse("2026-11-26T10:00:00Z")), CancellationToken.None);

    [Fact]
    public async Task Posts_a_header_the_text_and_the_request_id_as_Slack_JSON()
    {
        var result = await Send("I need help with my order");

        Assert.Equal(SendResult.Delivered, result);
        var expected = JsonNode.Parse($$"""
            {
              "text": "Assistance request (sales): I need help with my order (request {{RequestId}})",
              "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": "Assistance request: sales" } },
                { "type": "section", "text": { "type": "mrkdwn", "text": "I need help with my order" } },
                { "type": "context", "elements": [ { "type": "mrkdwn", "text": "Request {{RequestId}}" } ] }
              ],
              "unfurl_links": false,
              "unfurl_media": false
            }
            """);
        var post = Assert.Single(slack.Requests);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(post.Body)), post.Body);
        Assert.Equal("/hook", post.Path);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(post.Body).ToString(), post.Header("content-length"));
    }

    [Theory]
    [InlineData("<!channel> look", "&lt;!channel&gt; look")]
    [InlineData("<!here> and <!everyone>", "&lt;!here&gt; and &lt;!everyone&gt;")]
    [InlineData("ping <@U123>", "ping &lt;@U123&gt;")]
    [InlineData("<http://evil.example|click>", "&lt;http://evil.example|click&gt;")]
    [InlineData("Tom & Jerry", "Tom &amp; Jerry")]
    [InlineData("already &amp; escaped", "already &amp;amp; escaped")]
    [InlineData("*bold* _it_ \"quotes\" 'single' é 🙂", "*bold* _it_ \"quotes\" 'single' é 🙂")]
    public async Task Escapes_exactly_Slacks_three_control_characters(string description, string sent)
    {
        await Send(description);

        var body = JsonDocument.Parse(Assert.Single(slack.Requests).Body).RootElement;
        Assert.Equal(sent, body.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains(sent, body.GetProperty("text").GetString());
        Assert.False(body.TryGetProperty("link_names", out _));
        Assert.False(body.TryGetProperty("parse", out _));
    }

    [Fact]
    public async Task Splits_long_text_into_sections_within_Slacks_limit_without_breaking_an_entity()
    {
        var description = new string('a', 2998) + "&&" + new string('b', 1000);

        await Send(description);

        var sections = JsonDocument.Parse(Assert.Single(slack.Requests).Body).RootElement.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "section")
            .Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToArray();
        Assert.All(sections, s => Assert.True(s.Length <= SlackSender.SectionTextLimit));
        Assert.Equal(SlackSender.Escape(description), string.Concat(sections));
        Assert.All(sections, s => Assert.DoesNotMatch("&(a|am|amp)?$", s));
    }

    [Theory]
    [InlineData(404, "channel_not_found")]
    [InlineData(410, "channel_is_archived")]
    [InlineData(403, "invalid_token")]
    [InlineData(400, "invalid_payload")]
    [InlineData(403, "action_prohibited")]
    public async Task Slacks_permanent_errors_fail_at_once_with_the_reason(int status, string reason)
    {
        slack.Respond = (_, _) => new Reply(status, reason);

        var result = await Send("help");

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains(reason, result.Error);
        Assert.Contains(status.ToString(), result.Error);
    }

    [Fact]
    public async Task A_429_is_transient_and_carries_Retry_After()
    {
        slack.Respond = (_, _) => new Reply(429, """{"ok":false,"error":"rate_limited","retry_after":7}""", RetryAfter: "7");

        var result = await Send("help");

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Contains("rate_limited", result.Error);
    }

    [Theory]
    [InlineData(500, "rollup_error")]
    [InlineData(503, "")]
    [InlineData(502, "bad gateway")]
    public async Task Server_errors_are_transient(int status, string body)
    {
        slack.Respond = (_, _) => new Reply(status, body);

        var result = await Send("help");

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.Contains(status.ToString(), result.Error);
    }

    [Fact]
    public async Task The_preview_is_never_cut_inside_a_surrogate_pair()
    {
        var description = new string('a', 198) + string.Concat(Enumerable.Repeat("🙂", 10));

        await Send(description);

        var text = JsonDocument.Parse(Assert.Single(slack.Requests).Body).RootElement.GetProperty("text").GetString()!;
        Assert.True(text.EnumerateRunes().All(r => r != System.Text.Rune.ReplacementChar), text);
        Assert.Contains(new string('a', 198) + "…", text);
    }

    [Fact]
    public async Task A_flood_of_an_answer_is_read_only_up_to_a_cap_and_kept_short()
    {
        slack.Respond = (_, _) => new Reply(400, "invalid_payload " + new string('x', 5_000_000));

        var result = await Send("help");

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.StartsWith("HTTP 400: invalid_payload", result.Error);
        Assert.True(result.Error!.Length < 300, $"{result.Error.Length} characters kept");
    }

    [Theory]
    [InlineData("htps://hooks.example.test/services/T0/B0/SECRETPATH?token=SECRETQUERY", "htps://hooks.example.test/")]
    [InlineData("hooks.example.test/services/T0/B0/SECRETPATH", "not an absolute URL")]
    [InlineData("ftp://hooks.example.test/services/SECRETPATH", "ftp://hooks.example.test/")]
    public void A_mistyped_URL_is_reported_without_its_secret_part(string url, string shown)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Channels:Slack:WebhookUrl"] = url }).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration).AddSingleton(TimeProvider.System)
            .AddHttpClient().BuildServiceProvider();
        var channel = new AssistanceRouter.Grains.Channels.ChannelCatalog([new SlackKind(), new EmailKind(), new ConsoleKind()], configuration).Find("slack")!;

        var setup = channel.Kind.CreateSender(channel, services);

        Assert.Null(setup.Sender);
        Assert.Contains(shown, setup.Problem);
        Assert.DoesNotContain("SECRET", setup.Problem);
    }

    [Theory]
    [InlineData(NoticeKind.Request)]
    [InlineData(NoticeKind.StillWaiting)]
    [InlineData(NoticeKind.Taken)]
    [InlineData(NoticeKind.Resolved)]
    public void Every_kind_names_the_request_in_words_escaped_and_keeps_its_id(NoticeKind kind)
    {
        var payload = SlackSender.Payload(new OutgoingNotice(RequestId, "slack", "sales", "My order <!channel> & more", DateTimeOffset.Parse("2026-11-26T10:00:00Z"))
        {
            Kind = kind,
            By = "Priya",
        });

        var text = payload["text"]!.GetValue<string>();
        Assert.Contains("sales", text);
        Assert.Contains("My order &lt;!channel&gt; &amp; more", text);
        Assert.DoesNotContain("<!channel>", text);
        Assert.EndsWith($"(request {RequestId})", text);
        Assert.Equal($"Request {RequestId}", payload["blocks"]!.AsArray()[^1]!["elements"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Who_took_it_is_one_line_that_names_the_request()
    {
        var created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");

        var result = await new SlackSender(http, slack.Url, TimeProvider.System).SendAsync(
            new OutgoingNotice(RequestId, "slack", "sales", "I need help with my order", created) { Kind = NoticeKind.Taken, By = "Priya", At = created.AddMinutes(3) },
            CancellationToken.None);

        Assert.Equal(SendResult.Delivered, result);
        var expected = JsonNode.Parse($$"""
            {
              "text": "Taken by Priya: sales — “I need help with my order” (waited 3 min) (request {{RequestId}})",
              "blocks": [
                { "type": "section", "text": { "type": "mrkdwn", "text": "*Taken by Priya: sales — “I need help with my order” (waited 3 min) (request {{RequestId}})*" } },
                { "type": "context", "elements": [ { "type": "mrkdwn", "text": "Request {{RequestId}}" } ] }
              ],
              "unfurl_links": false,
              "unfurl_media": false
            }
            """);
        var post = Assert.Single(slack.Requests);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(post.Body)), post.Body);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/hook");

        var result = await new SlackSender(http, closed, TimeProvider.System).SendAsync(
            new OutgoingNotice(RequestId, "slack", "sales", "help", DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal(SendStatus.Transient, result.Status);
    }
}
