using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>
/// The API with its silo, configured as a user would for two chat apps: a <c>Teams</c> channel on a stand-in Workflows
/// webhook and a <c>Discord</c> channel on a stand-in Discord webhook, both real HTTP servers on loopback; the topic
/// <c>chat</c> goes to both.
/// </summary>
public sealed class ChatAppsFixture : IAsyncLifetime
{
    public const string PublicUrl = "https://help.example.test/";

    public TeamsWorkflowReceiver Teams { get; private set; } = null!;
    public DiscordWebhookReceiver Discord { get; private set; } = null!;
    public ApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Teams = await TeamsWorkflowReceiver.StartAsync();
        Discord = await DiscordWebhookReceiver.StartAsync();
        Api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Channels:Teams:Kind"] = "Teams",
            ["Channels:Teams:Url"] = Teams.Url.ToString(),
            ["Channels:Community:Kind"] = "Discord",
            ["Channels:Community:Url"] = Discord.Url.ToString(),
            // Fast limits here: these tests are about what arrives and about a 429; the defaults have their own tests.
            ["Channels:Teams:RatePerSecond"] = "100",
            ["Channels:Community:RatePerSecond"] = "100",
            ["Routing:Topics:chat:0"] = "teams",
            ["Routing:Topics:chat:1"] = "community",
            ["Api:PublicUrl"] = PublicUrl,
            ["Escalation:RenotifyAfter"] = "00:00:00",
        });
        _ = Api.Server; // start the host and its silo now, not inside the first test
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Teams.DisposeAsync();
        await Discord.DisposeAsync();
    }
}
