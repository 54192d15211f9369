using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Keys;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer.Protocol;

namespace AssistanceRouter.Tests.Channels;

/// <summary>The email sender against a real SMTP server on loopback.</summary>
public sealed class EmailSenderTests : IAsyncLifetime
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private const string InstallationId = "5f0c7e3a9b2d4c61a8e0f1b2c3d4e5f6";
    private SmtpSink smtp = null!;

    public async Task InitializeAsync() => smtp = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    private static SenderSetup Setup(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Channels:Email:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddSingleton(Installation.Known(InstallationId)).BuildServiceProvider();
        var channel = new ChannelCatalog([new EmailKind(), new SlackKind(), new ConsoleKind()], configuration).Find("email")!;
        return channel.Kind.CreateSender(channel, services);
    }

    private Task<SendResult> Send(string description = "How much for 500 seats?", int? port = null, string? username = null) =>
        Send(new OutgoingNotice(RequestId, "email", "pricing", description, DateTimeOffset.Parse("2026-11-26T10:00:00Z")), port, username);

    private Task<SendResult> Send(OutgoingNotice message, int? port = null, string? username = null)
    {
        var setup = Setup(new()
        {
            ["Host"] = "127.0.0.1",
            ["Port"] = (port ?? smtp.Port).ToString(),
            ["From"] = "Router <router@example.test>",
            ["To"] = "team@example.test;lead@example.test",
            ["UseTls"] = "false",
            ["Username"] = username,
            ["Password"] = username is null ? null : "smtp-password-SECRET",
        });
        Assert.True(setup.Sender is not null, setup.Problem);
        return setup.Sender.SendAsync(message, CancellationToken.None);
    }

    [Fact]
    public async Task Later_notices_of_a_request_answer_its_first_mail_so_that_they_form_one_thread()
    {
        var created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
        await Send(new OutgoingNotice(RequestId, "email", "pricing", "How much?", created) { ConversationUrl = "https://chat.example.test/c/9" });
        await Send(new OutgoingNotice(RequestId, "email", "pricing", "How much?", created)
        {
            Kind = NoticeKind.StillWaiting,
            NoticeId = $"{RequestId:N}-2",
            At = created.AddMinutes(15),
        });
        await Send(new OutgoingNotice(RequestId, "email", "pricing", "How much?", created) { Kind = NoticeKind.Taken, NoticeId = $"{RequestId:N}-3", By = "Alice" });

        var mails = await smtp.WaitForMessagesAsync(3);
        // Unique across installations (the installation's id), in the From address's domain.
        var root = $"{RequestId:N}-email.{InstallationId}@example.test";
        Assert.Equal(root, mails[0].MessageId);
        Assert.Contains("Join the conversation: https://chat.example.test/c/9", mails[0].TextBody);
        Assert.All(mails.Skip(1), m =>
        {
            Assert.Equal(root, m.InReplyTo);
            Assert.Equal([root], m.References);
            Assert.Equal("Re: Assistance request: pricing — “How much?”", m.Subject);
            Assert.NotEqual(root, m.MessageId);
        });
        Assert.Contains("Still waiting after 15 min", mails[1].TextBody);
        Assert.Contains("Taken by Alice", mails[2].TextBody);
    }

    [Theory]
    [InlineData(NoticeKind.Request)]
    [InlineData(NoticeKind.StillWaiting)]
    [InlineData(NoticeKind.Taken)]
    [InlineData(NoticeKind.Resolved)]
    public async Task Every_kind_names_the_request_in_words_and_keeps_its_id(NoticeKind kind)
    {
        var created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");

        await Send(new OutgoingNotice(RequestId, "email", "pricing", "How much for 500 seats?", created) { Kind = kind, NoticeId = $"{RequestId:N}-2", By = "Priya", At = created.AddMinutes(4) });

        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Contains("pricing — “How much for 500 seats?”", mail.Subject); // a mailbox list tells requests apart by it
        Assert.Contains("How much for 500 seats?", mail.TextBody);
        Assert.Contains($"Request: {RequestId}", mail.TextBody);
        if (kind is NoticeKind.Taken or NoticeKind.Resolved)
            Assert.StartsWith($"{(kind == NoticeKind.Taken ? "Taken" : "Resolved")} by Priya: pricing — “How much for 500 seats?”", mail.TextBody);
    }

    [Fact]
    public async Task Sends_from_and_to_the_configured_addresses_with_topic_text_and_request_id()
    {
        var result = await Send("How much for 500 seats? <b>not html</b>");

        Assert.Equal(SendResult.Delivered, result);
        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal("router@example.test", mail.From.Mailboxes.Single().Address);
        Assert.Equal("Router", mail.From.Mailboxes.Single().Name);
        Assert.Equal(["team@example.test", "lead@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Assistance request: pricing — “How much for 500 seats? <b>not html</b>”", mail.Subject);
        Assert.Contains("How much for 500 seats? <b>not html</b>", mail.TextBody);
        Assert.Contains(RequestId.ToString(), mail.TextBody);
        Assert.Equal(RequestId.ToString(), mail.Headers["X-Assistance-Request-Id"]);
        Assert.Equal($"{RequestId:N}-email.{InstallationId}@example.test", mail.MessageId);
        // RFC 3834: sent by a machine, so that out-of-office replies stay away.
        Assert.Equal("auto-generated", mail.Headers[HeaderId.AutoSubmitted]);
    }

    [Fact]
    public async Task A_5xx_reply_fails_the_delivery()
    {
        smtp.Respond = _ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "mailbox unavailable");

        var result = await Send();

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("550", result.Error);
    }

    [Fact]
    public async Task A_4xx_reply_is_retried()
    {
        smtp.Respond = _ => new SmtpResponse(SmtpReplyCode.InsufficientStorage, "try later");

        var result = await Send();

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.Contains("452", result.Error);
    }

    [Fact]
    public async Task A_server_without_authentication_when_a_username_is_set_fails_at_once_without_the_password()
    {
        var result = await Send(username: "router");

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("authentication", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SECRET", result.Error);
    }

    [Fact]
    public async Task An_unreachable_server_is_retried()
    {
        var result = await Send(port: FreePort.Next());

        Assert.Equal(SendStatus.Transient, result.Status);
    }

    [Theory]
    [InlineData(null, "smtp.example.test", "a@example.test", "Channels__Email__From")]
    [InlineData("router@example.test", null, "a@example.test", "Channels__Email__Host")]
    [InlineData("router@example.test", "smtp.example.test", null, "Channels__Email__To")]
    public void Missing_settings_leave_the_channel_unconfigured_and_say_which(string? from, string? host, string? to, string missing)
    {
        var setup = Setup(new() { ["From"] = from, ["Host"] = host, ["To"] = to });

        Assert.Null(setup.Sender);
        Assert.Contains(missing, setup.Problem);
    }
}
