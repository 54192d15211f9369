using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Tests.Slack;

/// <summary>
/// docs/slack.md shows the message as the stand-in receives it (posted, taken, resolved), and a manifest that asks
/// for nothing but <c>chat:write</c> and the interactions URL: captured here, so that the page cannot drift from the
/// code. On a difference the message holds the body to paste.
/// </summary>
public sealed partial class SlackDocsTests : IAsyncLifetime
{
    private static readonly OutgoingNotice Request = new(
        Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc"), "slack", "sales", "My order #42 never arrived. <!channel> please help",
        DateTimeOffset.Parse("2026-11-26T10:00:00Z"))
    {
        ConversationUrl = "https://chat.example.test/c/42",
        At = DateTimeOffset.Parse("2026-11-26T10:00:00Z"),
    };

    private SlackWebApi slack = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync() => slack = await SlackWebApi.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await slack.DisposeAsync();
    }

    [Fact]
    public async Task The_messages_in_the_Slack_page_are_what_Slack_receives()
    {
        var sender = new SlackAppSender(http, new SlackAppSettings(SlackWebApi.Token, SlackWebApi.ChannelId, "secret", slack.ApiBaseUrl), TimeProvider.System);
        var posted = await sender.SendAsync(Request, CancellationToken.None);
        var at = DateTimeOffset.Parse("2026-11-26T10:04:00Z");
        await sender.SendAsync(Request with { Kind = NoticeKind.Taken, By = "Dana", At = at, MessageAddress = posted.Address }, CancellationToken.None);
        await sender.SendAsync(Request with { Kind = NoticeKind.Resolved, By = "Dana", At = at.AddMinutes(20), MessageAddress = posted.Address }, CancellationToken.None);

        var calls = slack.Requests;
        var wrong = new[] { ("slack-request", 0), ("slack-taken", 1), ("slack-taken-reply", 2), ("slack-resolved", 3) }
            .Select(c => Undocumented(c.Item1, calls[c.Item2].Body)).OfType<string>().ToArray();
        Assert.True(wrong.Length == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_manifest_asks_only_for_chat_write_and_points_interactivity_at_the_endpoint()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository(), "docs", "slack-app-manifest.json")))!;

        Assert.Equal(["chat:write"], manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(manifest["oauth_config"]!["scopes"]!["user"]);
        Assert.True(manifest["settings"]!["interactivity"]!["is_enabled"]!.GetValue<bool>());
        Assert.EndsWith("/slack/interactions", manifest["settings"]!["interactivity"]!["request_url"]!.GetValue<string>());
        Assert.Null(manifest["settings"]!["event_subscriptions"]);
    }

    /// <summary>Null when the page shows <paramref name="received"/> after its capture mark, else what it should show.</summary>
    private static string? Undocumented(string name, string received)
    {
        var page = File.ReadAllText(Path.Combine(Repository(), "docs", "slack.md"));
        var block = Captured().Matches(page).SingleOrDefault(m => m.Groups["name"].Value == name);
        var pretty = JsonNode.Parse(received)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return block is not null && JsonNode.DeepEquals(JsonNode.Parse(block.Groups["json"].Value), JsonNode.Parse(received))
            ? null
            : $"docs/slack.md should show, after <!-- captured: {name} -->:\n```json\n{pretty}\n```";
    }

    private static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AssistanceRouter.sln"))) return directory.FullName;
        throw new InvalidOperationException("The tests run outside the repository.");
    }

    [GeneratedRegex(@"<!-- captured: (?<name>[\w-]+) -->\s*```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Captured();
}
