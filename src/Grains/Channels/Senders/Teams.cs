using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// Microsoft Teams through a Workflows webhook (a flow that starts "When a Teams webhook request is received" and
/// posts the card to a channel; the retired Office 365 connectors are not supported): each notice an Adaptive Card.
/// Teams answers 202 (or 200) once the flow has the request; 429 and 5xx are retried, any other 4xx fails at once.
/// </summary>
public sealed class TeamsKind : IChannelKind
{
    public string Name => "Teams";

    // learn.microsoft.com/connectors/teams, "Throttling limits": Flow bot posts, 25 per 300 s per connection; burst 1 keeps any 300 s to 25.
    public double DefaultRatePerSecond => 0.08;

    public int DefaultBurst => 1;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
    {
        var (url, problem) = HttpDelivery.Url(channel, "Url", channel.Section["Url"]);
        return url is null
            ? SenderSetup.NotConfigured(problem!)
            : SenderSetup.Ready(new TeamsSender(HttpDelivery.Client(services), url, services.GetRequiredService<TimeProvider>()));
    }
}

/// <summary>
/// Every text in the card is a <c>TextRun</c> of a <c>RichTextBlock</c>, which renders no markdown (Adaptive Cards
/// schema, TextRun.text: "Markdown is not supported"); a <c>TextBlock</c> would render a customer's <c>**x**</c> bold
/// and <c>[click](url)</c> as a link (Teams' "Format cards": bold, italic, lists, links). Links go only where the card
/// takes a URL as data: <c>Action.OpenUrl.url</c>.
/// </summary>
public sealed class TeamsSender(HttpClient http, Uri webhook, TimeProvider time) : IChannelSender
{
    /// <summary>The card schema: the version of the trigger's documented example, and the first with RichTextBlock and TextRun.</summary>
    public const string CardVersion = "1.2";

    // learn.microsoft.com/connectors/teams, "Message size limit": about 28 KB per posted message; this leaves the flow room.
    public const int MaxBodyBytes = 24 * 1024;

    public const string CutNote = "(Cut to fit a Teams message: the whole text is on the Take it page.)";

    // Letters of any script as UTF-8, not \u escapes; System.Text.Json still escapes what lies past the BMP (an emoji is 12 bytes).
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(Body(notice)) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return HttpDelivery.PostAsync(http, request, null, time, cancellationToken);
    }

    /// <summary>
    /// The body as posted: the whole text when it fits <see cref="MaxBodyBytes"/>, else its longest start that fits
    /// (never cut inside a surrogate pair) with <see cref="CutNote"/>. Only a text near the limit costs more than one
    /// serialisation: a dozen of a few KB each.
    /// </summary>
    public static byte[] Body(OutgoingNotice notice)
    {
        var words = new NoticeText(notice);
        var conversation = HttpDelivery.LinkUrl(words.ConversationUrl);
        byte[] Serialize(int keep) => JsonSerializer.SerializeToUtf8Bytes(Message(notice, words, keep, conversation), Json);
        var whole = Serialize(words.Description.Length);
        if (whole.Length <= MaxBodyBytes) return whole;
        if (Serialize(0).Length > MaxBodyBytes) conversation = null; // no room beside it: the take page shows the link
        var (fits, tooLong) = (0, words.Description.Length);
        while (tooLong - fits > 1)
        {
            var keep = (fits + tooLong) / 2;
            if (Serialize(keep).Length <= MaxBodyBytes) fits = keep; else tooLong = keep;
        }
        return Serialize(fits);
    }

    /// <summary>The Workflows trigger's request body: a message whose attachments are Adaptive Cards.</summary>
    private static JsonObject Message(OutgoingNotice notice, NoticeText words, int keep, string? conversationUrl) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray
        {
            new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = Card(notice, words, keep, conversationUrl),
            },
        },
    };

    private static JsonObject Card(OutgoingNotice notice, NoticeText words, int keep, string? conversationUrl)
    {
        var body = new JsonArray { Text(words.Title, size: "medium", weight: "bolder") };
        var actions = new JsonArray();
        if (words.AsksToTake)
        {
            body.Add(Text(Cut(words.Description, keep)));
            if (keep < words.Description.Length) body.Add(Text(CutNote, subtle: true));
            body.Add(Text(string.Create(CultureInfo.InvariantCulture, $"Received {notice.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, waiting {words.Waited}"), subtle: true));
            if (HttpDelivery.LinkUrl(words.TakeUrl) is { } take) actions.Add(OpenUrl("Take it", take));
            if (conversationUrl is not null) actions.Add(OpenUrl("Join the conversation", conversationUrl));
        }
        else
        {
            body.Add(Text(words.Summary));
        }
        body.Add(Text($"Request {words.RequestId}", subtle: true));
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = CardVersion,
            ["body"] = body,
        };
        if (actions.Count > 0) card["actions"] = actions;
        return card;
    }

    private static JsonObject Text(string text, string? size = null, string? weight = null, bool subtle = false)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (size is not null) run["size"] = size;
        if (weight is not null) run["weight"] = weight;
        if (subtle) run["isSubtle"] = true;
        return new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray { run } };
    }

    private static JsonObject OpenUrl(string title, string url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url };

    /// <summary>The first <paramref name="keep"/> characters and an ellipsis, never splitting a surrogate pair.</summary>
    private static string Cut(string text, int keep)
    {
        if (keep >= text.Length) return text;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return text[..keep] + "…";
    }
}
