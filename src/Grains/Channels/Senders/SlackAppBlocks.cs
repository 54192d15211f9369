using System.Globalization;
using System.Text.Json.Nodes;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// The Block Kit of a Slack app's messages: the request's message, which shows its state (open, taken by whom,
/// resolved) with only the buttons that still fit, and the replies in its thread. Every button carries the request id
/// as its <c>value</c>, so that a press on any copy of the message (a reminder in the thread too) acts on the request.
/// </summary>
public static class SlackAppBlocks
{
    public const string Take = "take";
    public const string Resolve = "resolve";
    public const string GiveBack = "give_back";

    /// <summary>The action ids a press may carry.</summary>
    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal) { Take, Resolve, GiveBack };

    /// <summary>The request's own message as <paramref name="notice"/> leaves it: <c>chat.postMessage</c>'s or <c>chat.update</c>'s body without its address.</summary>
    public static JsonObject RequestMessage(OutgoingNotice notice)
    {
        var words = new NoticeText(notice with { Kind = NoticeKind.Request });
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = HttpDelivery.Shorten(words.Title, 150) },
            },
        };
        foreach (var chunk in SlackSender.EscapedChunks(words.Description, SlackSender.SectionTextLimit)) blocks.Add(SlackSender.Section(chunk));
        if (HttpDelivery.LinkUrl(notice.ConversationUrl) is { } url) blocks.Add(SlackSender.Section($"<{SlackSender.Escape(url)}|Join the conversation>"));
        var (state, buttons) = notice.Kind switch
        {
            NoticeKind.Taken => ($":raising_hand: Taken by *{SlackSender.Escape(notice.By ?? "someone")}* {When("since", notice.At)}", new[] { Button(Resolve, "Resolve", notice, "primary"), Button(GiveBack, "Give back", notice) }),
            NoticeKind.Resolved => ($":white_check_mark: Resolved by *{SlackSender.Escape(notice.By ?? "someone")}* {When("at", notice.At)}", []),
            NoticeKind.GivenBack => ($":leftwards_arrow_with_hook: Given back by {SlackSender.Escape(notice.By ?? "someone")} {When("at", notice.At)}: open again", new[] { Button(Take, "Take it", notice, "primary") }),
            _ => ("Open: nobody has it yet", new[] { Button(Take, "Take it", notice, "primary") }),
        };
        blocks.Add(Context($"{state} · Request {words.RequestId}"));
        if (buttons.Length > 0) blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = "request", ["elements"] = new JsonArray(buttons) });
        var text = notice.Kind is NoticeKind.Request or NoticeKind.StillWaiting ? words.Summary : new NoticeText(notice).Summary;
        return Message(SlackSender.Escape(text), blocks);
    }

    /// <summary>A later notice as a reply in the request's thread: what happened in a line, and Take it while it waits.</summary>
    public static JsonObject Reply(OutgoingNotice notice)
    {
        var words = new NoticeText(notice);
        var text = SlackSender.Escape(words.Summary);
        var blocks = new JsonArray { SlackSender.Section(text) };
        if (words.AsksToTake || notice.Kind == NoticeKind.GivenBack)
            blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = "reply", ["elements"] = new JsonArray(Button(Take, "Take it", notice, "primary")) });
        return Message(text, blocks);
    }

    private static JsonObject Message(string text, JsonArray blocks) => new()
    {
        ["text"] = text,
        ["blocks"] = blocks,
        ["unfurl_links"] = false,
        ["unfurl_media"] = false,
    };

    private static JsonObject Button(string action, string label, OutgoingNotice notice, string? style = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = action,
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
            ["value"] = notice.RequestId.ToString(),
        };
        if (style is not null) button["style"] = style;
        return button;
    }

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } },
    };

    /// <summary>Slack's date token: each reader sees the time in their own zone; the fallback is UTC.</summary>
    private static string When(string word, DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{word} {{time}} {{date_short_pretty}}|{word} {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}>";
}
