using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Tests.Channels;

/// <summary>
/// The card and the embed that docs/design.md shows are what the stand-ins receive from the senders for one request:
/// captured here, so that the page cannot drift from the code. On a difference the message holds the body to paste.
/// </summary>
public sealed partial class ChatAppBodiesInDocsTests : IAsyncLifetime
{
    private static readonly OutgoingNotice Request = new(
        Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc"), "teams", "sales", "My order #42 never arrived. **Urgent**, see [here](https://x.example)!",
        DateTimeOffset.Parse("2026-11-26T10:00:00Z"))
    {
        TakeUrl = "https://help.example.test/take/AZLjpHssfU6fABI0VniavA.Hx2w9l1Jc0q",
        ConversationUrl = "https://chat.example.test/c/42",
        At = DateTimeOffset.Parse("2026-11-26T10:00:00Z"),
    };

    private TeamsWorkflowReceiver teams = null!;
    private DiscordWebhookReceiver discord = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync()
    {
        teams = await TeamsWorkflowReceiver.StartAsync();
        discord = await DiscordWebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await teams.DisposeAsync();
        await discord.DisposeAsync();
    }

    [Fact]
    public async Task The_Teams_card_in_the_design_page_is_what_Teams_receives()
    {
        Assert.Equal(SendResult.Delivered, await new TeamsSender(http, teams.Url, TimeProvider.System).SendAsync(Request, CancellationToken.None));

        AssertDocumented("teams", Assert.Single(teams.Requests).Body);
    }

    [Fact]
    public async Task The_Discord_message_in_the_design_page_is_what_Discord_receives()
    {
        var sender = new DiscordSender(http, DiscordSender.Waiting(discord.Url), TimeProvider.System);
        Assert.Equal(SendResult.Delivered, await sender.SendAsync(Request with { Channel = "discord" }, CancellationToken.None));

        AssertDocumented("discord", Assert.Single(discord.Requests).Body);
    }

    private static void AssertDocumented(string name, string received)
    {
        var page = File.ReadAllText(Path.Combine(Repository(), "docs", "design.md"));
        var block = Captured().Matches(page).SingleOrDefault(m => m.Groups["name"].Value == name);
        var pretty = JsonNode.Parse(received)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.True(block is not null && JsonNode.DeepEquals(JsonNode.Parse(block.Groups["json"].Value), JsonNode.Parse(received)),
            $"docs/design.md should show, after <!-- captured: {name} -->:\n```json\n{pretty}\n```");
    }

    private static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AssistanceRouter.sln"))) return directory.FullName;
        throw new InvalidOperationException("The tests run outside the repository.");
    }

    [GeneratedRegex(@"<!-- captured: (?<name>\w+) -->\s*```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Captured();
}
