using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// A bot-supplied conversation URL is data, never markup: in Slack's <c>&lt;url|label&gt;</c> a <c>|</c> once ended the
/// URL and set the label ("Claim your refund here"). Every notice's links go through one encoding
/// (<see cref="HttpDelivery.LinkUrl"/>), which leaves no character that ends a URL in any medium's markup.
/// </summary>
public sealed partial class ChatMarkupLinkTests
{
    [Fact]
    public async Task A_bar_in_conversationUrl_cannot_set_the_label_of_the_Slack_link_Slack_receives()
    {
        await using var slack = await LoopbackReceiver.StartAsync();
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Channels:Slack:WebhookUrl"] = slack.Url.ToString(),
            ["Routing:Topics:sales:0"] = "slack",
        });
        var (response, request) = await api.SubmitAsync(new
        {
            topic = "sales",
            description = "Where is my parcel?",
            conversationUrl = "https://good.example/x|Claim your refund here>now<",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var post = (await slack.WaitForRequestsAsync(r => r.Body.Contains(request!.Id.ToString(), StringComparison.Ordinal), 1)).Single();
        var texts = JsonDocument.Parse(post.Body).RootElement.GetProperty("blocks").EnumerateArray()
            .Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetProperty("text").GetString()!).ToArray();
        // Slack's link syntax as Slack reads it: the URL runs to the first | or >, the label to the next >.
        var links = texts.SelectMany(t => SlackLink().Matches(t)).ToArray();
        var conversation = Assert.Single(links, l => l.Groups["url"].Value.StartsWith("https://good.example/", StringComparison.Ordinal));
        Assert.Equal("Join the conversation", conversation.Groups["label"].Value);
        Assert.Equal("https://good.example/x%7CClaim%20your%20refund%20here%3Enow%3C", conversation.Groups["url"].Value);
        Assert.DoesNotContain(texts, t => t.Contains("Claim your refund here", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://good.example/x|label", "https://good.example/x%7Clabel")]
    [InlineData("https://good.example/a>b<c", "https://good.example/a%3Eb%3Cc")]
    [InlineData("https://good.example/a b\"c`d{e}f^g", "https://good.example/a%20b%22c%60d%7Be%7Df%5Eg")]
    [InlineData("https://good.example/q?x=[1]&y=|", "https://good.example/q?x=%5B1%5D&y=%7C")]
    [InlineData("https://good.example/#frag|x", "https://good.example/#frag%7Cx")]
    [InlineData("http://[::1]:8000/c|x", "http://[::1]:8000/c%7Cx")]
    public void Every_link_in_a_notice_has_no_character_that_ends_a_URL_in_markup(string given, string carried)
    {
        var link = HttpDelivery.LinkUrl(given);

        Assert.Equal(carried, link);
        Assert.DoesNotContain(link!, c => c is '|' or '<' or '>' or '"' or ' ' or '`');
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("/relative")]
    public void Only_http_and_https_links_are_made(string given) => Assert.Null(HttpDelivery.LinkUrl(given));

    [GeneratedRegex(@"<(?<url>[^|>]*)\|(?<label>[^>]*)>")]
    private static partial Regex SlackLink();
}
