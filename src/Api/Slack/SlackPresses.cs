using System.Net.Http.Json;
using AssistanceRouter.Api.Inbox;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Api.Slack;

/// <summary>
/// What a press does, as the Slack user who pressed: Take it acknowledges (<c>via: slack</c>), Resolve resolves,
/// Give back gives it back. The message itself changes through the channel (its notices update it); a press that
/// loses (someone else has it, or it is resolved) hears why from an ephemeral reply through its <c>response_url</c>,
/// which only the presser sees.
/// </summary>
public sealed partial class SlackPresses(IClusterClient cluster, InboxFeed feed, IHttpClientFactory clients, TimeProvider time, ILogger<SlackPresses> logger)
{
    /// <summary>Does the press; returns what the presser should hear, or null when the message's update says it all.</summary>
    public async Task<string?> ActAsync(SlackPress press)
    {
        var request = cluster.GetGrain<IAssistanceRequestGrain>(press.RequestId);
        LifecycleResult result;
        switch (press.Action)
        {
            case SlackAppBlocks.Take:
                result = await request.Acknowledge(press.UserName, AcknowledgementVia.Slack);
                break;
            case SlackAppBlocks.Resolve or SlackAppBlocks.GiveBack:
                // Only the person who has it resolves or gives it back from Slack; the API stays open to anyone.
                var view = await request.Get();
                if (view?.Acknowledgement is { } taken && !PersonNames.Same(taken.By, press.UserName) && view.Resolution is null)
                    return $"{taken.By} has this request since {Time(taken.At)}: only they can {(press.Action == SlackAppBlocks.Resolve ? "resolve it" : "give it back")}.";
                if (press.Action == SlackAppBlocks.GiveBack && view?.Acknowledgement is null && view?.Resolution is null)
                    return view is null ? "This request no longer exists." : "Nobody has this request: there is nothing to give back.";
                result = press.Action == SlackAppBlocks.Resolve ? await request.Resolve(press.UserName, null) : await request.Unacknowledge(press.UserName);
                break;
            default:
                return null; // SlackPress.Read lets only the three through
        }
        feed.Saw(result.Request);
        return result.Outcome switch
        {
            LifecycleOutcome.Done => null,
            LifecycleOutcome.Unchanged when press.Action == SlackAppBlocks.Take => null, // a second press of your own take
            LifecycleOutcome.Unchanged when result.Request?.Resolution is { } resolved => $"{resolved.By} resolved this request at {Time(resolved.At)}.",
            LifecycleOutcome.Conflict => result.Reason,
            LifecycleOutcome.NotFound => "This request no longer exists.",
            _ => null,
        };
    }

    /// <summary>The ephemeral reply, after Slack has had its answer; a failure is logged (host only: the URL is a credential).</summary>
    public async Task ReplyAsync(Uri responseUrl, string text)
    {
        try
        {
            using var response = await clients.CreateClient(HttpDelivery.ClientName).PostAsJsonAsync(responseUrl,
                new { response_type = "ephemeral", replace_original = false, text = SlackSender.Escape(text) });
            if (!response.IsSuccessStatusCode) LogReplyRefused(logger, responseUrl.Host, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogReplyFailed(logger, responseUrl.Host, ex.Message);
        }
    }

    private string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture)
        + (time.GetUtcNow() - at is { TotalMinutes: >= 1 } ago ? $" ({(int)ago.TotalMinutes} min ago)" : "");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack's response_url at {Host} refused the ephemeral reply: HTTP {Status}")]
    private static partial void LogReplyRefused(ILogger logger, string host, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack's response_url at {Host} could not be reached: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, string host, string reason);
}
