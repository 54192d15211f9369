using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>
/// Two separate installations (two real nodes, each with its own storage) given the same Idempotency-Key make the
/// same request id, yet never send the same Message-Id or webhook-id: RFC 5322 wants a Message-Id unique in the world,
/// and a mail store or a bot that drops repeats would otherwise drop the second installation's message. Each
/// installation's ids stay the same across a restart, so that a retry is still recognised as one.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class InstallationIdsTests : IAsyncLifetime
{
    private static readonly string EventsSecret = "whsec_" + Convert.ToBase64String("the bot's own secret key, 32 byte"u8.ToArray());
    private SmtpSink smtp = null!;
    private LoopbackReceiver hooks = null!;
    private LoopbackReceiver events = null!;
    private NodeProcess first = null!;
    private NodeProcess second = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpSink.StartAsync();
        hooks = await LoopbackReceiver.StartAsync();
        events = await LoopbackReceiver.StartAsync();
        first = Node();
        second = Node();
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        await smtp.DisposeAsync();
        await hooks.DisposeAsync();
        await events.DisposeAsync();
    }

    private NodeProcess Node() => new(new Dictionary<string, string>
    {
        ["Channels__Email__Host"] = "127.0.0.1",
        ["Channels__Email__Port"] = smtp.Port.ToString(),
        ["Channels__Email__From"] = "Router <router@example.test>",
        ["Channels__Email__To"] = "team@example.test",
        ["Channels__Email__UseTls"] = "false",
        ["Channels__Hooks__Kind"] = "Webhook",
        ["Channels__Hooks__Url"] = hooks.Url.ToString(),
        ["Events__Url"] = events.Url.ToString(),
        ["Events__Secret"] = EventsSecret,
        ["Events__Types__0"] = "request.accepted",
        ["Routing__Topics__both__0"] = "email",
        ["Routing__Topics__both__1"] = "hooks",
        ["Escalation__RenotifyAfter"] = "00:00:00",
    });

    [Fact]
    public async Task The_same_Idempotency_Key_on_two_installations_sends_different_Message_Ids_and_webhook_ids()
    {
        var one = await Submit(first, "the-same-key", "Same words, two installations");
        var firstMail = Assert.Single(await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(60)));
        var other = await Submit(second, "the-same-key", "Same words, two installations");
        Assert.Equal(one, other); // the id comes from the key: the premise of the problem

        var mails = await smtp.WaitForMessagesAsync(2, TimeSpan.FromSeconds(60));
        var posts = await hooks.WaitForRequestsAsync(2, TimeSpan.FromSeconds(60));
        var heard = await events.WaitForRequestsAsync(2, TimeSpan.FromSeconds(60));

        Assert.Equal(2, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.All(mails, m => Assert.Matches($"^{one:N}-email\\.[0-9a-f]{{32}}@example\\.test$", m.MessageId));
        Assert.Equal(2, posts.Select(p => p.Header("webhook-id")).Distinct().Count());
        Assert.Equal(2, heard.Select(p => p.Header("webhook-id")).Distinct().Count());
        Assert.All(heard, e => Assert.Equal("request.accepted", JsonDocument.Parse(e.Body).RootElement.GetProperty("type").GetString()));
        // Within one installation, every id it sends ends with the same installation part.
        Assert.Equal(mails.Select(m => Installation(m.MessageId!)).Order(), posts.Select(p => Installation(p.Header("webhook-id")!)).Order());

        // That part is stored with the cluster: after a restart the first installation's next mail ends as before.
        await first.TerminateAsync();
        await first.StartAsync();
        await Submit(first, "another-key", "After a restart");
        var later = (await smtp.WaitForMessagesAsync(3, TimeSpan.FromSeconds(60))).Single(m => !mails.Contains(m));
        Assert.Equal(Installation(firstMail.MessageId!), Installation(later.MessageId!));
    }

    /// <summary>The installation part of an id (a Message-Id without its domain, or a webhook-id): what follows its last '.'.</summary>
    private static string Installation(string id)
    {
        var local = id.Split('@')[0];
        return local[(local.LastIndexOf('.') + 1)..];
    }

    private async Task<Guid> Submit(NodeProcess node, string key, string description)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/assistance-requests") { Content = JsonContent.Create(new { topic = "both", description }) };
        message.Headers.Add("Idempotency-Key", key);
        using var response = await node.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
