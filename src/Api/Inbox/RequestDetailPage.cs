using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// <c>/inbox/requests/{id}</c>: one request's whole story as a page (everything GET shows, its history as a timeline)
/// and the buttons that fit it, as plain forms that post to the page's own address and answer <c>303</c> back to it
/// (post/redirect/get: a refresh never posts again). An unknown id is a 404 page.
/// </summary>
public static class RequestDetailPage
{
    public static string Path(Guid id) => $"/inbox/requests/{id}";

    /// <summary>What the page says after a redirect, by the code in <c>?done=</c>: fixed words, nothing from the address.</summary>
    private static readonly Dictionary<string, string> DoneMessages = new(StringComparer.Ordinal)
    {
        ["taken"] = "You have it. Everyone notified hears that you took it.",
        ["given-back"] = "Given back: it is open again, and escalation resumes.",
        ["resolved"] = "Resolved.",
        ["retried"] = "The failed deliveries are being tried again.",
    };

    public static RouteGroupBuilder MapRequestDetailPage(this RouteGroupBuilder inbox)
    {
        inbox.MapGet("{id}", Show);
        inbox.MapPost("{id}", Act).SkipCrossSiteGuard("its form carries an anti-forgery token");
        return inbox;
    }

    private static async Task<IResult> Show(string id, string? done, HttpContext context, IClusterClient cluster, TimeProvider time)
    {
        if (!Guid.TryParse(id, out var requestId) || await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Get() is not { } request)
            return NotFound();
        var message = done is not null && DoneMessages.TryGetValue(done, out var words) ? RequestCard.Message(words, isError: false) : null;
        return Html.Result(Render(context, request, time.GetUtcNow(), message));
    }

    private static async Task<IResult> Act(string id, HttpContext context, IClusterClient cluster, InboxFeed feed, TimeProvider time)
    {
        if (!Guid.TryParse(id, out var requestId)) return NotFound();
        var grain = cluster.GetGrain<IAssistanceRequestGrain>(requestId);
        if (await grain.Get() is not { } request) return NotFound();
        var now = time.GetUtcNow();
        IResult Refused(string why, int status) => Html.Result(Render(context, request, now, RequestCard.Message(why, isError: true)), status);
        if (!await Forms.IsValidAsync(context)) return Refused("The page had expired, so nothing changed. Press the button again.", StatusCodes.Status400BadRequest);

        var form = await context.Request.ReadFormAsync();
        var errors = new Dictionary<string, string[]>();
        var action = form["action"].ToString();
        var by = action is "take" or "resolve" or "give-back" ? RequestLifecycleApi.Name(form["by"].ToString(), errors) : "";
        var note = form["note"].ToString().Trim();
        if (errors.Count > 0) return Refused("Type your name, so that everyone sees who has it.", StatusCodes.Status400BadRequest);
        if (note.Length > RequestLifecycleApi.MaxNoteLength)
            return Refused($"The note has {note.Length} characters; at most {RequestLifecycleApi.MaxNoteLength} fit.", StatusCodes.Status400BadRequest);
        // Someone else's request: given back or resolved only once the person says so, seeing whose it is.
        if (action is "give-back" or "resolve" && request.Acknowledgement is { } holder && request.Resolution is null
            && !PersonNames.Same(holder.By, by) && form["confirm"] != "yes")
            return Html.Result(Render(context, request, now, RequestCard.Confirmation(context, action, holder.By, by, note)), StatusCodes.Status409Conflict);
        var (result, done) = action switch
        {
            "take" => (await grain.Acknowledge(by, AcknowledgementVia.Inbox), "taken"),
            "give-back" => (await grain.Unacknowledge(by), "given-back"),
            "resolve" => (await grain.Resolve(by, note.Length == 0 ? null : note), "resolved"),
            "retry" => (await grain.Retry(), "retried"),
            _ => (null, ""),
        };
        if (result is null) return Refused("That is not something this page does.", StatusCodes.Status400BadRequest);
        feed.Saw(result.Request);
        return result.Outcome switch
        {
            LifecycleOutcome.Done or LifecycleOutcome.Unchanged => Html.SeeOther($"{Path(requestId)}?done={done}"),
            LifecycleOutcome.Conflict => Html.Result(Render(context, result.Request ?? request, now, RequestCard.Message(result.Reason!, isError: true)), StatusCodes.Status409Conflict),
            _ => NotFound(),
        };
    }

    private static IResult NotFound() => Html.Result(Html.Page("No such request · AssistanceRouter", """
        <main class="narrow">
        <p class="brand">AssistanceRouter</p>
        <section class="card">
        <h1>No such request</h1>
        <p>This installation holds no request with that id. It may belong to another installation, or the address was cut short.</p>
        <p><a class="button" href="/inbox">Open the inbox</a></p>
        </section>
        </main>
        """, bodyClass: "plain", scripts: ["page.js"]), StatusCodes.Status404NotFound);

    private static string Render(HttpContext context, AssistanceRequestView request, DateTimeOffset now, string? message)
    {
        var body = $"""
            <header class="bar">
              <a class="brand" href="/inbox">AssistanceRouter <span>Inbox</span></a>
              <a href="/inbox">← Back to the inbox</a>
            </header>
            <main class="detail" data-request="{request.Id}">
              <p id="changed" class="notice" role="status" hidden>This request changed since the page was opened. <a href="{Path(request.Id)}">Show it as it is now</a></p>
              {RequestCard.Summary(request, now, message)}
              {RequestCard.Actions(context, request)}
              {RequestCard.Deliveries(request)}
              {RequestCard.Metadata(request)}
              <section class="card">
                <h2>History</h2>
                {RequestHistory.Timeline(request.History, now)}
              </section>
              <p class="footer">Request <code>{request.Id}</code> · programs read it at <code>GET /assistance-requests/{request.Id}</code></p>
            </main>
            """;
        return Html.Page($"{request.Topic}: {RequestCard.FirstWords(request.Description)} · AssistanceRouter", body, bodyClass: "app", scripts: ["page.js"]);
    }
}
