using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// A Discord channel webhook ("Execute Webhook"): each notice a message of embeds, posted with <c>?wait=true</c> so
/// that a message Discord does not save is an error rather than a silent <c>204</c>. A <c>429</c> pauses the channel
/// for the longer of its <c>retry_after</c> and <c>Retry-After</c> (<see cref="HttpDelivery"/>); a <c>404</c> (Unknown
/// Webhook) fails at once, and later notices fail without asking Discord again, as Discord asks.
/// </summary>
public sealed class DiscordKind : IChannelKind
{
    public string Name => "Discord";

    // discord.com/developers/docs/topics/rate-limits: no fixed figure per webhook (follow the headers and 429s), 50 requests/s per client.
    public double DefaultRatePerSecond => 0.5;

    public int DefaultBurst => 1;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
    {
        var (url, problem) = HttpDelivery.Url(channel, "Url", channel.Section["Url"]);
        return url is null
            ? SenderSetup.NotConfigured(problem!)
            : SenderSetup.Ready(new DiscordSender(HttpDelivery.Client(services), DiscordSender.Waiting(url), services.GetRequiredService<TimeProvider>()));
    }
}

/// <summary>
/// Text from a request is escaped (<see cref="Escape"/>) so that Discord shows it as written, and links go only
/// where an embed takes a URL as data (<c>url</c>); <c>allowed_mentions</c> <c>{"parse": []}</c> on every post
/// means no text pings anyone, whatever it holds.
/// </summary>
public sealed class DiscordSender(HttpClient http, Uri webhook, TimeProvider time) : IChannelSender
{
    // discord.com/developers/docs/resources/message, "Embed Limits": each figure below, in characters.
    public const int TitleLimit = 256;
    public const int DescriptionLimit = 4096;
    public const int FooterLimit = 2048;
    public const int TotalLimit = 6000; // title, description, fields, footer and author of all embeds together
    public const int MaxEmbeds = 10; // discord.com/developers/docs/resources/webhook, "Execute Webhook": embeds, up to 10

    public const string TakeIt = "Take it";

    public const string ConversationTitle = "Join the conversation";

    private const string CutNote = " … (the whole text is on the Take it page)";

    /// <summary>Why every send fails once Discord has said the webhook is gone; null until then.</summary>
    private volatile string? gone;

    public async Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        if (gone is not null) return SendResult.Permanent(gone);
        var request = new HttpRequestMessage(HttpMethod.Post, webhook)
        {
            Content = new StringContent(Payload(notice).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var result = await HttpDelivery.PostAsync(http, request, null, time, cancellationToken);
        // discord.com/developers/docs/topics/rate-limits: "If a webhook returns a 404 status you should not attempt to use it again".
        if (result.Status == SendStatus.Permanent && result.Error!.StartsWith("HTTP 404", StringComparison.Ordinal))
            gone = $"Discord no longer knows this webhook ({result.Error}); set the channel's Url to a new webhook and restart";
        return result;
    }

    /// <summary><paramref name="url"/> with <c>wait=true</c>, keeping its other parameters (a <c>thread_id</c>).</summary>
    public static Uri Waiting(Uri url)
    {
        var builder = new UriBuilder(url);
        var others = builder.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.Equals("wait", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("wait=", StringComparison.OrdinalIgnoreCase));
        builder.Query = string.Join('&', others.Append("wait=true"));
        return builder.Uri;
    }

    /// <summary>
    /// A new request or a reminder: an embed titled by the request whose title opens the take page, the whole text
    /// (in further embeds past 4,096 characters, cut past the 6,000 of a message), the request id, and an embed that
    /// opens the conversation. Who took or resolved it: one embed that names the request in words.
    /// </summary>
    public static JsonObject Payload(OutgoingNotice notice)
    {
        var words = new NoticeText(notice);
        var title = Fit(words.Title, TitleLimit);
        var footer = $"Request {words.RequestId}";
        var embeds = new JsonArray();
        if (!words.AsksToTake)
        {
            embeds.Add(new JsonObject
            {
                ["title"] = title,
                ["description"] = Fit(words.Summary, DescriptionLimit),
                ["color"] = notice.Kind == NoticeKind.Resolved ? Green : Blue,
                ["footer"] = new JsonObject { ["text"] = footer },
            });
        }
        else
        {
            var take = HttpDelivery.LinkUrl(words.TakeUrl);
            var conversation = HttpDelivery.LinkUrl(words.ConversationUrl);
            var budget = TotalLimit - title.Length - footer.Length - (take is null ? 0 : TakeIt.Length) - (conversation is null ? 0 : ConversationTitle.Length);
            var pieces = Pieces(words.Description, DescriptionLimit, budget, Escape(CutNote));
            if (pieces.Count == 0) pieces.Add("");
            for (var i = 0; i < pieces.Count; i++)
            {
                var embed = new JsonObject();
                if (i == 0)
                {
                    // The take link twice, both as data: a small "Take it" above the title, and the title itself.
                    if (take is not null) embed["author"] = new JsonObject { ["name"] = TakeIt, ["url"] = take };
                    embed["title"] = title;
                    if (take is not null) embed["url"] = take;
                    embed["timestamp"] = notice.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                }
                if (pieces[i].Length > 0) embed["description"] = pieces[i];
                embed["color"] = notice.Kind == NoticeKind.StillWaiting ? Red : Orange;
                if (i == pieces.Count - 1) embed["footer"] = new JsonObject { ["text"] = footer };
                embeds.Add(embed);
            }
            if (conversation is not null) embeds.Add(new JsonObject { ["title"] = ConversationTitle, ["url"] = conversation, ["color"] = Orange });
        }
        return new JsonObject
        {
            ["embeds"] = embeds,
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
    }

    private const int Orange = 0xE67E22, Red = 0xE74C3C, Blue = 0x3498DB, Green = 0x2ECC71;

    /// <summary>
    /// Every character by which Discord's markdown starts something, behind a backslash, so that the text shows as
    /// written: emphasis, spoilers and code (<c>* _ ~ | `</c>), masked links (<c>[ ]</c>), mentions, channels, emoji and
    /// timestamps (<c>&lt;</c>), headings, subtext, lists and quotes (<c># - &gt;</c>, and the <c>.</c> after a digit),
    /// a link's <c>://</c>, and the backslash itself. The line-start ones are escaped anywhere, so that no piece of a
    /// split text starts one. Discord shows a backslash and a punctuation character as the character, so an escape never shows.
    /// </summary>
    public static string Escape(string text) => string.Concat(Units(text));

    /// <summary>The escaped text as the pieces no cut may split: an escaped character, a surrogate pair, any other character.</summary>
    private static IEnumerable<string> Units(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\\' or '*' or '_' or '~' or '|' or '`' or '[' or ']' or '<' or '>' or '#' or '-'
                || (c == '.' && i > 0 && char.IsAsciiDigit(text[i - 1]))
                || (c == ':' && text.AsSpan(i + 1).StartsWith("//")))
                yield return "\\" + c;
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) yield return text.Substring(i++, 2);
            else yield return c.ToString();
        }
    }

    /// <summary>The escaped text in at most <paramref name="limit"/> characters, cut with an ellipsis past it.</summary>
    private static string Fit(string text, int limit) => string.Concat(Pieces(text, limit, limit, "…"));

    /// <summary>
    /// The escaped text in pieces of at most <paramref name="limit"/> characters and at most <paramref name="budget"/>
    /// in all; past the budget it is cut, marked with <paramref name="note"/>. No piece ends inside an escape or a pair.
    /// </summary>
    private static List<string> Pieces(string text, int limit, int budget, string note)
    {
        var units = Units(text).ToList();
        var cut = units.Sum(u => u.Length) > budget;
        if (cut) budget -= note.Length;
        var pieces = new List<string>();
        var piece = new StringBuilder();
        var total = 0;
        foreach (var unit in units)
        {
            if (total + unit.Length > budget) break;
            if (piece.Length + unit.Length > limit)
            {
                pieces.Add(piece.ToString());
                piece.Clear();
            }
            piece.Append(unit);
            total += unit.Length;
        }
        if (cut)
        {
            if (piece.Length + note.Length > limit)
            {
                pieces.Add(piece.ToString());
                piece.Clear();
            }
            piece.Append(note);
        }
        if (piece.Length > 0) pieces.Add(piece.ToString());
        return pieces;
    }
}
