using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// A Slack app's channel: the request is posted with <c>chat.postMessage</c> (buttons in it) and the answer's
/// <c>channel</c> and <c>ts</c> go back as the delivery's address; every later notice of the request comes with that
/// address, and is a reply in the message's thread (<c>thread_ts</c>), a change of hands updating the message itself
/// first (<c>chat.update</c>).
/// <para>
/// The process may die between Slack's answer to <c>chat.postMessage</c> and the stored address, and Slack has no
/// idempotency key: this sender guarantees <b>never orphaned</b>. The notice stays queued until its outcome (with the
/// address) is stored with the request, so the post is made again after a restart and the request always has a
/// message that its later notices thread under and update. The price is a second copy of the first message in that
/// rare window; its buttons still work (they carry the request id). The other choice, marking the post as made
/// before making it, would lose the request's only message when the post never arrived, and a person would never
/// hear of it: the product's first promise is that a person gets every request.
/// </para>
/// </summary>
public sealed class SlackAppSender(HttpClient http, SlackAppSettings app, TimeProvider time) : IChannelSender
{
    public const string PostMessage = "chat.postMessage";
    public const string Update = "chat.update";

    public async Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        if (SlackMessageAddress.Parse(notice.MessageAddress) is not { } root)
        {
            // The request's first message here (or a later notice whose request never got one): a top-level post.
            var body = notice.Kind is NoticeKind.Request or NoticeKind.StillWaiting ? SlackAppBlocks.RequestMessage(notice) : SlackAppBlocks.Reply(notice);
            body["channel"] = app.ChannelId;
            var (posted, channel, ts) = await CallAsync(PostMessage, body, cancellationToken);
            return posted.Status == SendStatus.Delivered && channel is not null && ts is not null
                ? SendResult.DeliveredTo(new SlackMessageAddress(channel, ts).ToString())
                : posted;
        }
        if (notice.Kind is NoticeKind.Taken or NoticeKind.Resolved or NoticeKind.GivenBack)
        {
            var update = SlackAppBlocks.RequestMessage(notice);
            update["channel"] = root.Channel;
            update["ts"] = root.Ts;
            // The update goes first and is simply made again on a retry (it sets the whole message, so repeating it is
            // harmless); a reply made first would be posted twice. An update Slack refuses for good (the message was
            // deleted) does not hold back the reply, which still tells the thread.
            var (updated, _, _) = await CallAsync(Update, update, cancellationToken);
            if (updated.Status == SendStatus.Transient) return updated;
        }
        var reply = SlackAppBlocks.Reply(notice);
        reply["channel"] = root.Channel;
        reply["thread_ts"] = root.Ts;
        var (replied, _, _) = await CallAsync(PostMessage, reply, cancellationToken);
        return replied; // no address: the request's message stays the thread's first
    }

    /// <summary>One Web API call with the bot token; the token goes only in the header, never in an error or a log.</summary>
    private async Task<(SendResult Result, string? Channel, string? Ts)> CallAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.ApiBaseUrl, method))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.BotToken);
        (string? Channel, string? Ts) posted = (null, null);
        var result = await HttpDelivery.PostAsync(http, request, (response, text) =>
        {
            var (answer, channel, ts) = SlackAnswers.Read(method, text, response.Headers.RetryAfter?.Delta);
            posted = (channel, ts);
            return answer;
        }, time, cancellationToken);
        return (result, posted.Channel, posted.Ts);
    }
}
