using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Api.Inbox;

/// <summary>The parts of a request's page: what it is and who has it, its buttons, its deliveries, its metadata. All text from outside is encoded.</summary>
public static class RequestCard
{
    private const int TitleWords = 8;

    /// <summary>The description's first words, for a title: a person recognises the request by them.</summary>
    public static string FirstWords(string description)
    {
        var words = InvisibleCharacters.Reveal(description).Split((char[]?)null, TitleWords + 1, StringSplitOptions.RemoveEmptyEntries);
        return words.Length > TitleWords ? string.Join(' ', words[..TitleWords]) + "…" : string.Join(' ', words);
    }

    public static string Message(string text, bool isError) =>
        $"""<p class="notice {(isError ? "error" : "done")}" role="{(isError ? "alert" : "status")}">{Html.Text(text)}</p>""";

    /// <summary>Asks before giving back or resolving someone else's request: the same form again, with <c>confirm=yes</c>.</summary>
    public static string Confirmation(HttpContext context, string action, string holder, string by, string note)
    {
        var (question, verb) = action == "resolve" ? ("Resolve it", "Resolve") : ("Give it back", "Give back");
        return $"""
            <div class="notice error" role="alert"><p>{Html.Text(holder)} has this request. {question} anyway, as {Html.Text(by)}? Everyone sees who did.</p>
            {Form(context, action, $"""
                <input type="hidden" name="by" value="{Html.Text(by)}"><input type="hidden" name="note" value="{Html.Text(note)}">
                <input type="hidden" name="confirm" value="yes">
                """, $"""<button type="submit" class="primary">{verb} anyway</button>""")}</div>
            """;
    }

    public static string Summary(AssistanceRequestView request, DateTimeOffset now, string? message)
    {
        var conversation = request.ConversationUrl is { } url
            ? $"""<p><a class="conversation" href="{Html.Text(url)}" target="_blank" rel="noopener noreferrer">Join the conversation</a></p>"""
            : "";
        return $"""
            <article class="card request">
              <p class="eyebrow"><span class="topic">{Html.Text(request.Topic)}</span> <span class="status {request.Status.ToString().ToLowerInvariant()}">{Status(request)}</span> · received {Html.Time(request.CreatedAt)} ({Html.Age(now - request.CreatedAt)} ago)</p>
              <h1>A customer needs help with {Html.Text(request.Topic)}</h1>
              {message ?? ""}
              <p class="description" dir="auto">{Html.Text(InvisibleCharacters.Reveal(request.Description))}</p>
              {conversation}
              {Holder(request, now)}
              {Escalation(request)}
            </article>
            """;
    }

    private static string Status(AssistanceRequestView request) => request.Status switch
    {
        RequestStatus.Acknowledged => "Taken",
        RequestStatus.Resolved => "Resolved",
        RequestStatus.Failed => "Open · a delivery failed",
        _ => "Open",
    };

    private static string Holder(AssistanceRequestView request, DateTimeOffset now)
    {
        if (request.Resolution is { } resolved)
        {
            var note = resolved.Note is null ? "" : $"""<span class="note">{Html.Text(resolved.Note)}</span>""";
            return $"""<p class="holder resolved">Resolved by <strong>{Html.Text(resolved.By)}</strong> {Html.Time(resolved.At)} ({Html.Age(now - resolved.At)} ago), after {Html.Age(resolved.At - request.CreatedAt)}.{note}</p>""";
        }
        if (request.Acknowledgement is { } taken)
            return $"""<p class="holder taken"><strong>{Html.Text(taken.By)}</strong> has it, since {Html.Time(taken.At)} ({Html.Age(now - taken.At)} ago), via {taken.Via.ToString().ToLowerInvariant()}; it waited {Html.Age(taken.At - request.CreatedAt)}.</p>""";
        return """<p class="holder open">Nobody has it yet.</p>""";
    }

    private static string Escalation(AssistanceRequestView request)
    {
        if (request.Escalation is not { Steps: > 0 } escalation || request.Acknowledgement is not null || request.Resolution is not null) return "";
        if (escalation.NextAt is { } next)
            return $"""<p class="hint">Escalation: step {escalation.Step} of {escalation.Steps} ran; the next {Html.Time(next)}.</p>""";
        return $"""<p class="exhausted">Escalation ran out: all {escalation.Steps} steps ran and nobody has it. Nothing more will remind anyone.</p>""";
    }

    /// <summary>The forms that fit the request now; each posts to the page's own address with its token and answers 303.</summary>
    public static string Actions(HttpContext context, AssistanceRequestView request)
    {
        var forms = new List<string>();
        var name = $"""<label>Your name <input name="by" autocomplete="name" maxlength="{RequestLifecycleApi.MaxNameLength}" required></label>""";
        if (request.Acknowledgement is null && request.Resolution is null)
        {
            forms.Add(Form(context, "take", name, """<button type="submit" class="primary">Take it</button>"""));
            if (request.Deliveries.Any(d => d.Status == DeliveryStatus.Failed))
                forms.Add(Form(context, "retry", "", """<button type="submit">Retry failed deliveries</button>"""));
        }
        else if (request.Resolution is null)
        {
            forms.Add(Form(context, "resolve", $"""
                {name}
                <label class="wide">Note (optional: what was done, for whoever looks later)
                  <textarea name="note" rows="2" maxlength="{RequestLifecycleApi.MaxNoteLength}"></textarea></label>
                """, """<button type="submit" class="primary">Resolve</button>"""));
            forms.Add(Form(context, "give-back", name, """<button type="submit">Give back</button>"""));
        }
        return forms.Count == 0 ? "" : $"""<section class="card actions-card" aria-label="What you can do">{string.Concat(forms)}</section>""";
    }

    private static string Form(HttpContext context, string action, string fields, string button) => $"""
        <form method="post" class="take" data-action="{action}">
          {Forms.TokenInput(context)}
          <input type="hidden" name="action" value="{action}">
          {fields}
          {button}
        </form>
        """;

    public static string Deliveries(AssistanceRequestView request)
    {
        if (request.Deliveries.Length == 0) return "";
        var rows = request.Deliveries.Select(d =>
        {
            var attempts = d.RecentAttempts.Length == 0 ? "" : $"""
                <details><summary>{(d.RecentAttempts.Length == d.Attempts ? "Every attempt" : $"The last {d.RecentAttempts.Length} attempts")}</summary><ol class="attempts">{string.Concat(d.RecentAttempts.Select(a =>
                    $"<li>{Html.Time(a.At)} {a.Result switch { AttemptResult.Delivered => "delivered", AttemptResult.WillRetry => "failed, retrying", _ => "failed for good" }}{(a.Error is null ? "" : $": <span class=\"problem\">{Html.Text(a.Error)}</span>")}</li>"))}</ol></details>
                """;
            var state = d.Status.ToString().ToLowerInvariant();
            var words = d.Status switch
            {
                DeliveryStatus.Delivered => $"delivered {Html.Time(d.DeliveredAt ?? default)}",
                DeliveryStatus.Cancelled => "not sent: taken before it went out",
                DeliveryStatus.Failed => "failed for good",
                _ => d.NextAttemptAt is { } next ? $"pending, next attempt {Html.Time(next)}" : "pending",
            };
            var tries = d.Attempts switch { 0 => "", 1 => " · 1 attempt", _ => $" · {d.Attempts} attempts" };
            var error = d.LastError is null ? "" : $"""<p class="problem">{Html.Text(d.LastError)}</p>""";
            return $"""<li><span class="channel {state}">{Html.Text(d.Channel)}</span> {words}{tries}{error}{attempts}</li>""";
        });
        return $"""<section class="card"><h2>Deliveries</h2><ul class="deliveries">{string.Concat(rows)}</ul></section>""";
    }

    public static string Metadata(AssistanceRequestView request) => request.Metadata.Count == 0 ? "" : $"""
        <section class="card"><h2>Metadata</h2><dl class="metadata">{string.Concat(request.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => $"<dt>{Html.Text(m.Key)}</dt><dd>{Html.Text(m.Value)}</dd>"))}</dl></section>
        """;
}
