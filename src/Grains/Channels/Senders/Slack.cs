using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// Slack: an incoming webhook (the zero-setup default; success is 200 <c>ok</c>), or an app with a bot token
/// (<see cref="SlackAppSender"/>). 1 message a second: Slack's documented limit for posting to a channel.
/// </summary>
public sealed class SlackKind : IChannelKind
{
    public string Name => "Slack";
    public double DefaultRatePerSecond => 1;
    public int DefaultBurst => 1;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
    {
        // App mode (a bot token) when any of its settings is set; ChannelOptionsValidator has refused a half-made one.
        if (SlackAppSettings.IsApp(channel.Section))
            return SlackAppSettings.Read(channel.Section) is { } app
                ? SenderSetup.Ready(new SlackAppSender(HttpDelivery.Client(services), app, services.GetRequiredService<TimeProvider>()))
                : SenderSetup.NotConfigured($"channel '{channel.Name}' has incomplete Slack app settings (Channels__{channel.Section.Key}__BotToken, __ChannelId, __SigningSecret)");
        // SLACK_WEBHOOK_URL, the seed's variable, stands in for the default Slack channel's WebhookUrl.
        var alias = channel.Name == "slack" ? "SLACK_WEBHOOK_URL" : null;
        var value = channel.Section["WebhookUrl"];
        if (string.IsNullOrWhiteSpace(value) && alias is not null) value = services.GetRequiredService<IConfiguration>()[alias];
        var (url, problem) = HttpDelivery.Url(channel, "WebhookUrl", value, alias);
        return url is null
            ? SenderSetup.NotConfigured(problem!)
            : SenderSetup.Ready(new SlackSender(HttpDelivery.Client(services), url, services.GetRequiredService<TimeProvider>()));
    }
}

public sealed class SlackSender(HttpClient http, Uri webhook, TimeProvider time) : IChannelSender
{
    /// <summary>Slack's limit for a section block's text.</summary>
    public const int SectionTextLimit = 3000;

    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        // A string body, so that it goes with a Content-Length: some receivers and proxies refuse chunked uploads.
        var request = new HttpRequestMessage(HttpMethod.Post, webhook)
        {
            Content = new StringContent(Payload(notice).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return HttpDelivery.PostAsync(http, request, static (_, body) =>
            body.Trim() == "ok" ? null : SendResult.Transient($"Slack answered 2xx without 'ok': {HttpDelivery.Shorten(body.Trim())}"), time, cancellationToken);
    }

    /// <summary>
    /// A new request or a reminder: a header with its title, the whole text (split into sections of Slack's size), the
    /// take and conversation links, and the request id. Who took or resolved it: one line naming the request in words.
    /// Links never unfurl: a preview would fetch the customer's conversation page on Slack's behalf.
    /// </summary>
    public static JsonObject Payload(OutgoingNotice notice)
    {
        var words = new NoticeText(notice);
        var text = $"{Escape(words.Summary)} (request {words.RequestId})";
        var blocks = new JsonArray();
        if (!words.AsksToTake)
        {
            blocks.Add(Section($"*{text}*"));
        }
        else
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = HttpDelivery.Shorten(words.Title, 150) },
            });
            foreach (var chunk in EscapedChunks(words.Description, SectionTextLimit)) blocks.Add(Section(chunk));
            // A link, not a button: a button would post an interaction to a Slack app this webhook does not have.
            if (HttpDelivery.LinkUrl(words.TakeUrl) is { } take) blocks.Add(Section($"*<{Escape(take)}|Take it>*"));
            if (HttpDelivery.LinkUrl(words.ConversationUrl) is { } url) blocks.Add(Section($"<{Escape(url)}|Join the conversation>"));
        }
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = $"Request {words.RequestId}" } },
        });
        return new JsonObject
        {
            ["text"] = text,
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
            ["unfurl_media"] = false,
        };
    }

    public static JsonObject Section(string mrkdwn) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } };

    /// <summary>Slack's three control characters, and only those, so that user text never pings or links anyone.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Splits the escaped text into pieces of at most <paramref name="limit"/> characters, never inside an entity.</summary>
    public static IEnumerable<string> EscapedChunks(string text, int limit)
    {
        var chunk = new StringBuilder();
        foreach (var c in text)
        {
            var piece = c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => null };
            var length = piece?.Length ?? 1;
            if (chunk.Length + length > limit)
            {
                // Keep a surrogate pair together.
                var carry = chunk.Length > 0 && char.IsHighSurrogate(chunk[^1]) ? chunk[^1].ToString() : "";
                if (carry.Length > 0) chunk.Length--;
                yield return chunk.ToString();
                chunk.Clear().Append(carry);
            }
            if (piece is null) chunk.Append(c); else chunk.Append(piece);
        }
        if (chunk.Length > 0) yield return chunk.ToString();
    }
}
