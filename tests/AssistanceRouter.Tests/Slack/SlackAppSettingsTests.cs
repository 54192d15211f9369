using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.Tests.Slack;

/// <summary>A Slack app set up wrong stops the node at start: one line naming the key, exit 1, never the token or the secret.</summary>
public sealed class SlackAppSettingsTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    public static TheoryData<string, Dictionary<string, string>> HalfMade => new()
    {
        {
            "Channels:Slack:ChannelId and SigningSecret must be set too: a Slack app needs BotToken, ChannelId and SigningSecret",
            new() { ["Channels__Slack__BotToken"] = SlackWebApi.Token }
        },
        {
            "Channels:Slack:BotToken must be a bot token (it starts with xoxb-",
            new() { ["Channels__Slack__BotToken"] = "xoxp-a-user-token-SECRETVALUE", ["Channels__Slack__ChannelId"] = SlackWebApi.ChannelId, ["Channels__Slack__SigningSecret"] = Secret }
        },
        {
            "Channels:Help:ChannelId must be a Slack channel id (such as C0123456789",
            new() { ["Channels__Help__Kind"] = "Slack", ["Channels__Help__BotToken"] = SlackWebApi.Token, ["Channels__Help__ChannelId"] = "#help", ["Channels__Help__SigningSecret"] = Secret }
        },
        {
            "Channels:Slack:ApiBaseUrl must be an absolute http(s) URL",
            new()
            {
                ["Channels__Slack__BotToken"] = SlackWebApi.Token, ["Channels__Slack__ChannelId"] = SlackWebApi.ChannelId,
                ["Channels__Slack__SigningSecret"] = Secret, ["Channels__Slack__ApiBaseUrl"] = "slack.com/api",
            }
        },
    };

    [Theory]
    [MemberData(nameof(HalfMade))]
    public async Task A_half_made_Slack_app_stops_the_node_with_one_line_naming_the_key(string expected, Dictionary<string, string> settings)
    {
        settings["Logging__LogLevel__Default"] = "Information";
        await using var process = new NodeProcess(settings);

        var (exitCode, output) = await process.RunToExitAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'));
        Assert.StartsWith("AssistanceRouter cannot start: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("SECRETVALUE", line);
        Assert.DoesNotContain("STANDINBOTTOKEN", line);
        Assert.DoesNotContain(Secret, line);
    }

    [Fact]
    public void Only_a_complete_app_reads_and_its_text_shows_neither_token_nor_secret()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackWebApi.Token,
            ["Slack:ChannelId"] = SlackWebApi.ChannelId,
            ["Slack:SigningSecret"] = Secret,
            ["Slack:ApiBaseUrl"] = "http://127.0.0.1:9/proxy/api",
        }).Build().GetSection("Slack");

        var app = SlackAppSettings.Read(section)!;

        Assert.Equal(new Uri("http://127.0.0.1:9/proxy/api/"), app.ApiBaseUrl); // methods resolve under it
        Assert.Equal(new Uri("http://127.0.0.1:9/proxy/api/chat.postMessage"), new Uri(app.ApiBaseUrl, SlackAppSender.PostMessage));
        Assert.DoesNotContain("STANDINBOTTOKEN", app.ToString());
        Assert.DoesNotContain(Secret, app.ToString());
        Assert.Empty(SlackAppSettings.Problems(section, "Slack"));
        Assert.Null(SlackAppSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:BotToken"] = SlackWebApi.Token }).Build().GetSection("Slack")));
        Assert.False(SlackAppSettings.IsApp(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:WebhookUrl"] = "https://hooks.slack.com/x" }).Build().GetSection("Slack")));
    }
}
