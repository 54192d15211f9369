using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Inbox;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Links;

namespace AssistanceRouter.Api.Links;

/// <summary>
/// The page a notice's "Take it" link opens. Mail scanners and chat unfurlers fetch links (some run their scripts),
/// so <c>GET</c> and <c>HEAD</c> only show the request and who has it; only the page's form, posted by a person with
/// a name, acknowledges it (<c>via: link</c>), and answers <c>303</c> back to the page, which then says who has it
/// (post/redirect/get: a refresh never posts again). The token is the authority: no key, no sign-in. It never appears
/// in a page (the form posts to the page's own address, and the redirect goes back there), or in a log line written here.
/// </summary>
public static class TakePage
{
    public const string Route = "/take/{token}";

    public static IEndpointRouteBuilder MapTakePage(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Route, [HttpMethods.Get, HttpMethods.Head], Show).ExcludeFromDescription();
        app.MapPost(Route, Take).ExcludeFromDescription().SkipCrossSiteGuard("its form carries an anti-forgery token, and the link's token is the authority");
        return app;
    }

    /// <summary>The query the redirect after a take adds, so that the page says "you have it" once.</summary>
    private const string TakenQuery = "taken";

    private static async Task<IResult> Show(string token, HttpContext context, TakeLinks links, IClusterClient cluster, TimeProvider time)
    {
        var (problem, request) = await Open(token, links, cluster);
        if (problem is not null) return problem;
        var message = context.Request.Query.ContainsKey(TakenQuery) && request!.Acknowledgement is { } taken && request.Resolution is null
            ? Message.Done($"You have it, {taken.By}. Everyone notified hears that you took it.")
            : null;
        return Html.Result(Render(context, request!, time.GetUtcNow(), message));
    }

    private static async Task<IResult> Take(string token, HttpContext context, TakeLinks links, IClusterClient cluster, InboxFeed feed, TimeProvider time)
    {
        var (problem, request) = await Open(token, links, cluster);
        if (problem is not null) return problem;
        var now = time.GetUtcNow();
        if (!await Forms.IsValidAsync(context))
            return Html.Result(Render(context, request!, now, Message.Error("The page had expired, so nothing changed. Press Take it again.")), StatusCodes.Status400BadRequest);

        var form = await context.Request.ReadFormAsync();
        var errors = new Dictionary<string, string[]>();
        var by = RequestLifecycleApi.Name(form["by"].ToString(), errors);
        if (errors.Count > 0)
            return Html.Result(Render(context, request!, now, Message.Error("Type your name, so that everyone sees who has it.")), StatusCodes.Status400BadRequest);

        var result = await cluster.GetGrain<IAssistanceRequestGrain>(request!.Id).Acknowledge(by, AcknowledgementVia.Link);
        feed.Saw(result.Request);
        return result.Outcome switch
        {
            LifecycleOutcome.Done or LifecycleOutcome.Unchanged => Html.SeeOther($"{context.Request.PathBase}{context.Request.Path}?{TakenQuery}"),
            LifecycleOutcome.Conflict => Html.Result(Render(context, result.Request ?? request, now, Message.Error(result.Reason!)), StatusCodes.Status409Conflict),
            _ => NotFound(),
        };
    }

    /// <summary>The request behind a token, or the page that says why there is none.</summary>
    private static async Task<(IResult? Problem, AssistanceRequestView? Request)> Open(string token, TakeLinks links, IClusterClient cluster)
    {
        var (check, link) = await links.VerifyAsync(token);
        if (check == LinkCheck.Invalid)
            return (Html.Result(Problem("This link does not work",
                "It is not a link this service made: it may have been cut short or changed when it was copied. Open the link from the notice again, or find the request in the inbox."),
                StatusCodes.Status400BadRequest), null);
        var request = await cluster.GetGrain<IAssistanceRequestGrain>(link!.RequestId).Get();
        if (check == LinkCheck.Expired)
        {
            var which = request is null
                ? "The request it pointed to is not stored here any more."
                : $"""The request, <strong>{Html.Text(request.Topic)}: {Html.Text(RequestCard.FirstWords(request.Description))}</strong>, is still on <a href="{RequestDetailPage.Path(request.Id)}">its page in the inbox</a>.""";
            return (Html.Result(Problem("This link has expired",
                $"Links in notices work for a limited time, and this one ended {Html.Time(link.ExpiresAt)}. {which}"),
                StatusCodes.Status410Gone), null);
        }
        return request is null ? (NotFound(), null) : (null, request);
    }

    private static IResult NotFound() => Html.Result(Problem("No such request",
        "The request this link points to is not stored here. It may belong to another installation."), StatusCodes.Status404NotFound);

    private static string Render(HttpContext context, AssistanceRequestView request, DateTimeOffset now, Message? message)
    {
        var conversation = request.ConversationUrl is { } url
            ? $"""<p><a class="conversation" href="{Html.Text(url)}" target="_blank" rel="noopener noreferrer">Join the conversation</a></p>"""
            : "";
        string state, waited;
        if (request.Resolution is { } resolved)
        {
            waited = $"resolved after {Html.Age(resolved.At - request.CreatedAt)}";
            state = $"""<p class="holder resolved">Resolved by <strong>{Html.Text(resolved.By)}</strong> {Html.Time(resolved.At)} ({Html.Age(now - resolved.At)} ago).</p>""";
        }
        else if (request.Acknowledgement is { } taken)
        {
            waited = $"waited {Html.Age(taken.At - request.CreatedAt)}";
            state = $"""<p class="holder taken"><strong>{Html.Text(taken.By)}</strong> has it, since {Html.Time(taken.At)} ({Html.Age(now - taken.At)} ago).</p>""";
        }
        else
        {
            waited = $"waiting {Html.Age(now - request.CreatedAt)}";
            state = $"""
                <p class="holder open">Nobody has it yet.</p>
                <form method="post" class="take" autocomplete="on">
                  {Forms.TokenInput(context)}
                  <label>Your name <input name="by" id="by" autocomplete="name" maxlength="{RequestLifecycleApi.MaxNameLength}" required></label>
                  <button type="submit" class="primary">Take it</button>
                </form>
                <p class="hint">Opening this page changes nothing; only Take it does.</p>
                """;
        }
        var body = $"""
            <main class="narrow">
            <p class="brand">AssistanceRouter</p>
            <article class="card request">
              <p class="eyebrow"><span class="topic">{Html.Text(request.Topic)}</span> · {waited} · received {Html.Time(request.CreatedAt)}</p>
              <h1>A customer needs help with {Html.Text(request.Topic)}</h1>
              {message?.Render() ?? ""}
              <p class="description" dir="auto">{Html.Text(InvisibleCharacters.Reveal(request.Description))}</p>
              {conversation}
              {state}
            </article>
            <p class="footer"><a href="{RequestDetailPage.Path(request.Id)}">Its whole story in the inbox</a> · <a href="/inbox">Open the inbox</a> · request <code>{request.Id}</code></p>
            </main>
            """;
        return Html.Page($"{request.Topic}: assistance request", body, bodyClass: "plain", scripts: ["page.js"]);
    }

    private static string Problem(string title, string detail) => Html.Page(title, $"""
        <main class="narrow">
        <p class="brand">AssistanceRouter</p>
        <section class="card">
        <h1>{Html.Text(title)}</h1>
        <p>{detail}</p>
        <p><a class="button" href="/inbox">Open the inbox</a></p>
        </section>
        </main>
        """, bodyClass: "plain", scripts: ["page.js"]);

    private sealed record Message(string Text, bool IsError)
    {
        public static Message Error(string text) => new(text, true);
        public static Message Done(string text) => new(text, false);
        public string Render() => $"""<p class="notice {(IsError ? "error" : "done")}" role="status">{Html.Text(Text)}</p>""";
    }
}
