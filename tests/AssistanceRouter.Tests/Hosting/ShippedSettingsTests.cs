using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Hosting;

/// <summary>appsettings.json shows the defaults the code uses, the same for the API and the silo.</summary>
public sealed class ShippedSettingsTests
{
    private static readonly string Repository = FindRepository();

    private static IConfiguration Shipped(string project) =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(Repository, "src", project, "appsettings.json")).Build();

    [Fact]
    public void The_API_and_the_silo_ship_the_same_settings()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Repository, "src/Api/appsettings.json")), File.ReadAllText(Path.Combine(Repository, "src/Silo/appsettings.json")));
    }

    [Theory]
    [InlineData(typeof(DeliveryOptions), DeliveryOptions.Section)]
    [InlineData(typeof(EscalationOptions), EscalationOptions.Section)]
    [InlineData(typeof(NoticesOptions), NoticesOptions.Section)]
    public void Each_section_shows_every_setting_at_its_code_default(Type options, string section)
    {
        var shipped = Shipped("Api").GetSection(section);
        var bound = shipped.Get(options)!;
        var defaults = Activator.CreateInstance(options);
        var settable = options.GetProperties().Where(p => p.CanWrite).ToArray();

        Assert.All(settable, p => Assert.Equal(p.GetValue(defaults), p.GetValue(bound)));
        Assert.Equal(settable.Select(p => p.Name).Order(), shipped.GetChildren().Select(c => c.Key).Order());
    }

    [Fact]
    public void Channels_are_the_built_in_ones_at_their_kinds_default_rates()
    {
        var kinds = new ServiceCollection().AddChannelKinds().BuildServiceProvider().GetServices<IChannelKind>().ToDictionary(k => k.Name);
        var shipped = Shipped("Api").GetSection(ChannelOptions.Section).Get<ChannelOptions>()!;

        Assert.Equal(ChannelOptions.BuiltIn.Order(), shipped.Keys.Order());
        Assert.All(shipped, channel =>
        {
            var kind = kinds[channel.Value.Kind!];
            Assert.Equal(channel.Key, kind.Name);
            Assert.Equal(kind.DefaultRatePerSecond, channel.Value.RatePerSecond);
            Assert.Equal(kind.DefaultBurst, channel.Value.Burst);
        });
    }

    [Fact]
    public void The_first_routing_table_is_the_default_one()
    {
        var shipped = Shipped("Api").GetSection(RoutingOptions.Section).Get<RoutingOptions>()!;

        Assert.Equal(RoutingOptions.DefaultTopics.OrderBy(t => t.Key), shipped.Topics.OrderBy(t => t.Key));
    }

    [Fact]
    public void The_shipped_settings_give_a_client_mode_API_nothing_to_warn_about()
    {
        Assert.Empty(ConfigurationCheck.IgnoredChannelSettings(Shipped("Api")));
    }

    [Fact]
    public void Where_to_deliver_is_what_a_client_mode_API_warns_about_never_a_value()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Repository, "src/Api/appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SLACK_WEBHOOK_URL"] = "https://hooks.slack.test/secret",
                ["Channels:Ops:Kind"] = "Webhook",
                ["Channels:Ops:Url"] = "https://ops.test/hook",
                ["Channels:Ops:Secret"] = "whsec_c2VjcmV0",
                ["Channels:Slack:RatePerSecond"] = "2",
            })
            .Build();

        Assert.Equal(["Channels:Ops:Secret", "Channels:Ops:Url", "SLACK_WEBHOOK_URL"], ConfigurationCheck.IgnoredChannelSettings(configuration));
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AssistanceRouter.sln"))) return directory.FullName;
        throw new InvalidOperationException("The tests run outside the repository.");
    }
}
