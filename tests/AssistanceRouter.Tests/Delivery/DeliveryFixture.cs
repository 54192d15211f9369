using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>The API wired to real receivers on loopback: an HTTP server for Slack, another for a signed webhook, an SMTP server for email.</summary>
public sealed class DeliveryFixture : IAsyncLifetime
{
    /// <summary>As Standard Webhooks write a secret: whsec_ and the base64 of its key ("a shared secret of 24+ bytes").</summary>
    public const string WebhookSecret = "whsec_YSBzaGFyZWQgc2VjcmV0IG9mIDI0KyBieXRlcw==";

    public LoopbackReceiver Slack { get; private set; } = null!;
    public LoopbackReceiver Webhook { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;
    public ApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await LoopbackReceiver.StartAsync();
        Webhook = await LoopbackReceiver.StartAsync();
        Smtp = await SmtpSink.StartAsync();
        Api = new ApiFactory(new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = Slack.Url.ToString(),
            // Fast limits here: these tests are about what arrives; rate limits have their own tests.
            ["Channels:Slack:RatePerSecond"] = "1000",
            ["Channels:Slack:Burst"] = "100",
            ["Channels:Email:Host"] = "127.0.0.1",
            ["Channels:Email:Port"] = Smtp.Port.ToString(),
            ["Channels:Email:From"] = "AssistanceRouter <router@example.test>",
            ["Channels:Email:To"] = "pricing-team@example.test, backup@example.test",
            ["Channels:Email:UseTls"] = "false",
            ["Channels:Hooks:Kind"] = "Webhook",
            ["Channels:Hooks:Url"] = Webhook.Url.ToString(),
            ["Channels:Hooks:Secret"] = WebhookSecret,
            ["Routing:Topics:sales:0"] = "slack",
            ["Routing:Topics:pricing:0"] = "email",
            ["Routing:Topics:integrations:0"] = "hooks",
            ["Routing:Topics:everything:0"] = "slack",
            ["Routing:Topics:everything:1"] = "email",
            ["Routing:Topics:everything:2"] = "hooks",
        });
        _ = Api.Server; // start the host and its silo now, not inside the first test
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Slack.DisposeAsync();
        await Webhook.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
