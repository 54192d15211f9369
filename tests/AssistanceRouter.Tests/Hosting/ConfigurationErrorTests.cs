using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Hosting;

/// <summary>A wrong setting stops a node at once with one line naming the key and what it may be, and exit code 1.</summary>
public sealed class ConfigurationErrorTests
{
    /// <summary>No kind's name has spaces, so this is never one, whichever kinds are added.</summary>
    private const string NotAKind = "no such kind";

    /// <summary>The kinds the product registers, in its order, so that adding one changes no test.</summary>
    private static readonly string[] Kinds =
        [.. new ServiceCollection().AddChannelKinds().BuildServiceProvider().GetServices<IChannelKind>().Select(k => k.Name)];

    [Fact]
    public async Task An_unknown_kind_is_named_with_every_kind_there_is()
    {
        Assert.DoesNotContain(NotAKind, Kinds, StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty(Kinds);

        var (exitCode, output) = await RunToExit(NodeProcess.Api, "Channels__Ops__Kind", NotAKind);

        Assert.Equal(1, exitCode);
        AssertOneLine(output, $"Channels:Ops:Kind is '{NotAKind}', which is not a channel kind; use one of {string.Join(", ", Kinds)}.");
    }

    [Theory]
    [InlineData("Channels__Slack__RatePerSecond", "0", "Channels:Slack:RatePerSecond must be a positive number")]
    [InlineData("Channels__Email__Burst", "many", "Channels:Email:Burst is 'many', which is not a whole number.")]
    [InlineData("Delivery__GiveUpAfter", "forever", "Delivery:GiveUpAfter is 'forever', which is not a time span")]
    [InlineData("Routing__Topics__support__0", "pager", "Routing:Topics:support:0 is 'pager', which is not a channel; channels: console, email, slack.")]
    [InlineData("Orleans__Mode", "Cluster", "Orleans:Mode is 'Cluster', which is not one of Embedded, Client.")]
    [InlineData("Orleans__Mode", "Client", "Orleans:Mode=Client needs ConnectionStrings:Redis")]
    [InlineData("Api__Keys__0", "abc", "Api:Keys:0 is 3 characters long; an API key must have at least 32")]
    public async Task The_API_exits_with_1_and_one_line_naming_the_key(string key, string value, string expected)
    {
        var (exitCode, output) = await RunToExit(NodeProcess.Api, key, value);

        Assert.Equal(1, exitCode);
        AssertOneLine(output, expected);
    }

    [Fact]
    public async Task A_silo_exits_the_same_way()
    {
        var (exitCode, output) = await RunToExit(NodeProcess.Silo, "Channels__Ops__Kind", NotAKind);

        Assert.Equal(1, exitCode);
        AssertOneLine(output, $"Channels:Ops:Kind is '{NotAKind}'");
    }

    [Fact]
    public async Task A_value_that_does_not_convert_is_named_alone_whatever_else_its_channel_says()
    {
        var (exitCode, output) = await RunToExit(NodeProcess.Api, new()
        {
            ["Channels__Ops__Kind"] = "Webhook",
            ["Channels__Ops__RatePerSecond"] = "abc",
            ["Channels__Ops__Burst"] = "5",
        });

        Assert.Equal(1, exitCode);
        Assert.Equal("AssistanceRouter cannot start: Channels:Ops:RatePerSecond is 'abc', which is not a number.", Assert.Single(output.Split('\n')));
    }

    public static TheoryData<string, Dictionary<string, string>> WrongEscalations => new()
    {
        {
            "Routing:Escalation:sales:Steps:0:After is 00:00:00; a step's After (from acceptance) must be more than zero.",
            new() { ["Routing__Escalation__sales__Steps__0__After"] = "00:00:00", ["Routing__Escalation__sales__Steps__0__Channels__0"] = "email" }
        },
        {
            "Routing:Escalation:sales:Steps:1:After is 00:05:00, not later than Steps:0:After (00:10:00); steps must be strictly increasing.",
            new()
            {
                ["Routing__Escalation__sales__Steps__0__After"] = "00:10:00", ["Routing__Escalation__sales__Steps__0__Channels__0"] = "email",
                ["Routing__Escalation__sales__Steps__1__After"] = "00:05:00", ["Routing__Escalation__sales__Steps__1__Channels__0"] = "slack",
            }
        },
        {
            "Routing:Escalation:sales:Steps:0:Channels:0 is 'pager', which is not a channel; channels: console, email, slack.",
            new() { ["Routing__Escalation__sales__Steps__0__After"] = "00:05:00", ["Routing__Escalation__sales__Steps__0__Channels__0"] = "pager" }
        },
        {
            "Routing:Escalation:sales:Repeat is -1; it must be 0 to 100.",
            new()
            {
                ["Routing__Escalation__sales__Steps__0__After"] = "00:05:00", ["Routing__Escalation__sales__Steps__0__Channels__0"] = "email",
                ["Routing__Escalation__sales__Repeat"] = "-1",
            }
        },
    };

    /// <summary>Checked with the other settings, not when the router first reads them: such a node said it was ready and answered 500 to every submission.</summary>
    [Theory]
    [MemberData(nameof(WrongEscalations))]
    public async Task A_wrong_escalation_step_stops_the_node_at_start(string expected, Dictionary<string, string> settings)
    {
        var (exitCode, output) = await RunToExit(NodeProcess.Api, settings);

        Assert.Equal(1, exitCode);
        AssertOneLine(output, expected);
    }

    /// <summary>Signed with the text's bytes, every delivery would fail Standard Webhooks' verification: the node says so at start instead.</summary>
    [Theory]
    [InlineData("Channels__Ops__Secret", "Channels:Ops:Secret")]
    [InlineData("Events__Secret", "Events:Secret")]
    public async Task A_signing_secret_that_is_not_whsec_and_base64_stops_the_node_without_showing_it(string key, string named)
    {
        const string secret = "a-plain-text-secret-0123456789";
        var (exitCode, output) = await RunToExit(NodeProcess.Api, new()
        {
            ["Channels__Ops__Kind"] = "Webhook",
            ["Channels__Ops__Url"] = "http://127.0.0.1:9/hook",
            ["Events__Url"] = "http://127.0.0.1:9/events",
            [key] = secret,
        });

        Assert.Equal(1, exitCode);
        AssertOneLine(output, $"{named} must be whsec_ followed by the base64 of 24 to 64 random bytes, as Standard Webhooks write it");
        Assert.DoesNotContain(secret, output);
    }

    private static Task<(int ExitCode, string Output)> RunToExit(string node, string key, string value) =>
        RunToExit(node, new() { [key] = value });

    private static async Task<(int ExitCode, string Output)> RunToExit(string node, Dictionary<string, string> settings)
    {
        settings["Logging__LogLevel__Default"] = "Information";
        await using var process = new NodeProcess(settings, node);
        return await process.RunToExitAsync();
    }

    private static void AssertOneLine(string output, string expected)
    {
        var line = Assert.Single(output.Split('\n'));
        Assert.StartsWith("AssistanceRouter cannot start: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("Exception", line);
    }
}
