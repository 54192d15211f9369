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
