using AssistanceRouter.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AssistanceRouter.Tests.Slack;

/// <summary>
/// The API with its silo, its built-in <c>slack</c> channel set up as a Slack app (bot token, channel id, signing
/// secret) whose Web API is <see cref="SlackWebApi"/> on loopback; every level of the log is kept, to show that no
/// token or secret is ever in it.
/// </summary>
public sealed class SlackAppFixture : IAsyncLifetime
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    public SlackWebApi Slack { get; private set; } = null!;
    public SlackApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await SlackWebApi.StartAsync();
        Api = new SlackApiFactory(Settings(Slack));
        _ = Api.Server; // start the host and its silo now, not inside the first test
    }

    /// <summary>As an operator sets it, with fast limits: these tests are about what arrives, not about pace.</summary>
    public static Dictionary<string, string?> Settings(SlackWebApi slack) => new()
    {
        ["Channels:Slack:BotToken"] = SlackWebApi.Token,
        ["Channels:Slack:ChannelId"] = SlackWebApi.ChannelId,
        ["Channels:Slack:SigningSecret"] = SigningSecret,
        ["Channels:Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        ["Channels:Slack:RatePerSecond"] = "100",
        ["Channels:Slack:Burst"] = "10",
        ["Routing:Topics:sales:0"] = "slack",
        ["Escalation:RenotifyAfter"] = "00:00:00",
        ["Api:PublicUrl"] = "https://help.example.test/",
    };

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary><see cref="ApiFactory"/> keeping every log entry from Debug up, where a secret could hide.</summary>
public sealed class SlackApiFactory(IDictionary<string, string?> settings) : ApiFactory(settings)
{
    public LogCapture AllLogs { get; } = new(LogLevel.Debug);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(AllLogs));
    }
}
