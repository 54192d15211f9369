using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Tests.Slack;

/// <summary>The app's sender against the stand-in: Slack's answers classified as the contract lists them.</summary>
public sealed class SlackAppSenderTests : IAsyncLifetime
{
    private SlackWebApi slack = null!;
    private readonly HttpClient http = new();

    public async Task InitializeAsync() => slack = await SlackWebApi.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await slack.DisposeAsync();
    }

    private SlackAppSender Sender(string token = SlackWebApi.Token, string channel = SlackWebApi.ChannelId) =>
        new(http, new SlackAppSettings(token, channel, "secret", slack.ApiBaseUrl), TimeProvider.System);

    private static OutgoingNotice Notice(string description, NoticeKind kind = NoticeKind.Request, string? address = null) =>
        new(Guid.NewGuid(), "slack", "sales", description, DateTimeOffset.UtcNow) { Kind = kind, MessageAddress = address, By = kind == NoticeKind.Request ? null : "dana" };

    [Fact]
    public async Task A_post_answers_the_messages_channel_and_ts_as_its_address_and_sends_the_bot_token_as_a_bearer()
    {
        var result = await Sender().SendAsync(Notice("address me"), CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, result.Status);
        var message = Assert.Single(slack.Messages);
        Assert.Equal(new SlackMessageAddress(message.Channel, message.Ts).ToString(), result.Address);
        var call = Assert.Single(slack.Requests);
        Assert.Equal($"Bearer {SlackWebApi.Token}", call.Header("authorization"));
        Assert.Equal("application/json; charset=utf-8", call.Header("content-type"));
    }

    [Fact]
    public async Task A_change_of_hands_updates_the_message_then_replies_in_its_thread_and_a_retry_after_a_429_posts_the_reply_once()
    {
        var first = await Sender().SendAsync(Notice("the first"), CancellationToken.None);
        var taken = Notice("the first", NoticeKind.Taken, first.Address);
        slack.Script("Taken by dana", n => n == 2 ? SlackWebApi.RateLimited(3) : null); // the update passes, the reply is limited

        var limited = await Sender().SendAsync(taken, CancellationToken.None);
        var again = await Sender().SendAsync(taken, CancellationToken.None);

        Assert.Equal((SendStatus.Transient, TimeSpan.FromSeconds(3)), (limited.Status, limited.RetryAfter));
        Assert.Equal(SendStatus.Delivered, again.Status);
        Assert.Null(again.Address); // a reply never becomes the request's message
        var root = slack.Messages[0];
        Assert.Equal(2, root.Updates);
        Assert.Single(slack.Messages, m => m.ThreadTs == root.Ts);
    }

    public static TheoryData<string, SendStatus> Answers => new()
    {
        { "invalid_auth", SendStatus.Permanent }, { "not_authed", SendStatus.Permanent }, { "account_inactive", SendStatus.Permanent },
        { "token_revoked", SendStatus.Permanent }, { "channel_not_found", SendStatus.Permanent }, { "not_in_channel", SendStatus.Permanent },
        { "is_archived", SendStatus.Permanent }, { "msg_too_long", SendStatus.Permanent }, { "invalid_blocks", SendStatus.Permanent },
        { "ratelimited", SendStatus.Transient }, { "internal_error", SendStatus.Transient }, { "fatal_error", SendStatus.Transient },
        { "service_unavailable", SendStatus.Transient }, { "request_timeout", SendStatus.Transient }, { "a_new_error_code", SendStatus.Transient },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Slacks_errors_fail_at_once_or_are_retried_as_the_contract_lists(string error, SendStatus expected)
    {
        var marker = Guid.NewGuid().ToString("N");
        slack.Script(marker, _ => SlackWebApi.Error(error));

        var result = await Sender().SendAsync(Notice(marker), CancellationToken.None);

        Assert.Equal(expected, result.Status);
        Assert.Contains(error, result.Error);
    }

    [Fact]
    public async Task A_wrong_token_or_channel_is_Slacks_own_error_and_never_shows_the_token()
    {
        var token = await Sender(token: "xoxb-wrong-SECRETTOKEN").SendAsync(Notice("wrong token"), CancellationToken.None);
        var channel = await Sender(channel: "C0NOTTHERE1").SendAsync(Notice("wrong channel"), CancellationToken.None);

        Assert.Equal((SendStatus.Permanent, SendStatus.Permanent), (token.Status, channel.Status));
        Assert.Contains("invalid_auth", token.Error);
        Assert.DoesNotContain("SECRETTOKEN", token.Error);
        Assert.Contains("channel_not_found", channel.Error);
    }

    [Fact]
    public async Task An_HTTP_429_with_Retry_After_is_retried_after_what_it_says()
    {
        var marker = Guid.NewGuid().ToString("N");
        slack.Script(marker, _ => SlackWebApi.RateLimited(30));

        var result = await Sender().SendAsync(Notice(marker), CancellationToken.None);

        Assert.Equal((SendStatus.Transient, TimeSpan.FromSeconds(30)), (result.Status, result.RetryAfter));
        Assert.Empty(slack.Messages);
    }
}
