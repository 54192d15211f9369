using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Keys;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace AssistanceRouter.Tests.Links;

/// <summary>Request notices carry the "Take it" link in Slack and email; the notices after them do not need one.</summary>
public sealed class TakeLinkInNoticesTests
{
    private const string TakeUrl = "https://help.example.test/take/AQGi.abc-_";

    private static readonly OutgoingNotice Request = new(Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc"), "slack", "sales", "Help", DateTimeOffset.Parse("2026-11-26T10:00:00Z"))
    {
        TakeUrl = TakeUrl,
        ConversationUrl = "https://chat.example.test/c/1",
    };

    [Theory]
    [InlineData(NoticeKind.Request)]
    [InlineData(NoticeKind.StillWaiting)]
    public void A_Slack_request_notice_links_Take_it_before_the_conversation_and_never_unfurls(NoticeKind kind)
    {
        var payload = SlackSender.Payload(Request with { Kind = kind });

        var texts = payload["blocks"]!.AsArray().Select(b => b!["text"]?["text"]?.GetValue<string>()).ToArray();
        var take = Array.IndexOf(texts, $"*<{TakeUrl}|Take it>*");
        Assert.True(take > 0, string.Join("\n", texts));
        Assert.Equal("<https://chat.example.test/c/1|Join the conversation>", texts[take + 1]);
        Assert.False(payload["unfurl_links"]!.GetValue<bool>());
        Assert.False(payload["unfurl_media"]!.GetValue<bool>());
    }

    [Fact]
    public void A_Slack_notice_of_who_took_it_has_no_link() =>
        Assert.DoesNotContain("/take/", SlackSender.Payload(Request with { Kind = NoticeKind.Taken, By = "Ann", TakeUrl = null }).ToJsonString());

    [Theory]
    [InlineData(NoticeKind.Request)]
    [InlineData(NoticeKind.StillWaiting)]
    public void An_email_request_notice_holds_the_link(NoticeKind kind)
    {
        var sender = new EmailSender(
            new SmtpSettings("127.0.0.1", 25, MailboxAddress.Parse("router@example.test"), InternetAddressList.Parse("team@example.test"), null, null, false),
            Installation.Known("5f0c7e3a9b2d4c61a8e0f1b2c3d4e5f6"), NullLogger<EmailSender>.Instance);

        var mail = sender.Compose(Request with { Channel = "email", Kind = kind }, "5f0c7e3a9b2d4c61a8e0f1b2c3d4e5f6");

        var text = mail.TextBody ?? "";
        Assert.Contains($"Take it: {TakeUrl}\n", text);
        Assert.True(text.IndexOf(TakeUrl, StringComparison.Ordinal) < text.IndexOf("Join the conversation", StringComparison.Ordinal));
    }
}
