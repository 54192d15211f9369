using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Api.SignIn;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.Grains.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// The page people keep open to take requests (<c>/inbox</c>), the snapshot its script polls, and its buttons. Its
/// POSTs go here rather than to <c>/assistance-requests</c>, so that only they (with an anti-forgery token) accept a
/// sign-in cookie; programs keep using the API with <c>X-Api-Key</c>.
/// </summary>
public static class InboxApi
{
    public const int OpenShown = 100;
    public const int AcknowledgedShown = 50;
    public const int ResolvedShown = 20;

    /// <summary>How far back "recently resolved" reaches.</summary>
    public static readonly TimeSpan ResolvedWindow = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inbox", Page).ExcludeFromDescription();
        var inbox = app.MapGroup("/inbox/requests").ExcludeFromDescription();
        inbox.MapGet("", Snapshot);
        inbox.MapPost("{id}/acknowledge", (string id, InboxAction? body, IClusterClient cluster) =>
            RequestLifecycleApi.Acknowledge(id, new AcknowledgeRequest(body?.By ?? "", "inbox"), cluster)).RequireAntiforgeryToken();
        inbox.MapPost("{id}/unacknowledge", (string id, IClusterClient cluster) =>
            RequestLifecycleApi.Unacknowledge(id, cluster)).RequireAntiforgeryToken();
        inbox.MapPost("{id}/resolve", (string id, InboxAction? body, IClusterClient cluster) =>
            RequestLifecycleApi.Resolve(id, new ResolveRequest(body?.By ?? "", body?.Note), cluster)).RequireAntiforgeryToken();
        return app;
    }

    /// <summary>A button's body: who pressed it (the name the page remembers), and a note when resolving.</summary>
    public sealed record InboxAction(string? By, string? Note);

    public static async Task<Ok<InboxSnapshot>> Snapshot(string? topic, IClusterClient cluster, RoutingTableCache routes, TimeProvider time)
    {
        var filter = string.IsNullOrWhiteSpace(topic) ? null : TopicNames.Normalize(topic);
        var lists = cluster.GetGrain<IRequestListGrain>(0);
        var open = lists.Page(RequestLists.Open, filter, 0, OpenShown);
        var acknowledged = lists.Page(RequestLists.Acknowledged, filter, 0, AcknowledgedShown);
        var resolved = lists.Page(RequestLists.Resolved, filter, 0, ResolvedShown);
        var table = await routes.GetAsync();
        var now = time.GetUtcNow();
        var recent = (await resolved).Requests.Where(r => r.Resolution is { } done && now - done.At <= ResolvedWindow).ToArray();
        return TypedResults.Ok(new InboxSnapshot(
            now, filter, [.. table.Routes.Select(r => r.Topic).Order(StringComparer.Ordinal)],
            List((await open).Requests, (await open).Total),
            List((await acknowledged).Requests, (await acknowledged).Total),
            List(recent, recent.Length)));
    }

    private static InboxList List(AssistanceRequestView[] views, long total) => new([.. views.Select(InboxItem.From)], total);

    private static async Task<IResult> Page(HttpContext context, Microsoft.Extensions.Options.IOptions<Hosting.ApiKeyOptions> keys)
    {
        var signedIn = await BrowserSignIn.IsSignedInAsync(context, [.. keys.Value.Keys.Where(k => !string.IsNullOrEmpty(k))]);
        var body = $"""
            <header class="bar">
              <a class="brand" href="/inbox">AssistanceRouter <span>Inbox</span></a>
              <div class="controls">
                <label class="field">Topic <select id="topic"><option value="">All topics</option></select></label>
                <label class="field">Your name <input id="name" autocomplete="name" maxlength="{RequestLifecycleApi.MaxNameLength}" placeholder="e.g. Alice" title="Shown to everyone as who has a request; remembered in this browser"></label>
                <span id="live" class="live" role="status" aria-live="polite">Connecting…</span>
                {(signedIn ? BrowserSignIn.SignOutForm(context) : "")}
              </div>
            </header>
            <main class="inbox" data-token="{Html.Text(Forms.Token(context))}">
              <p id="toast" class="toast" role="alert" hidden></p>
              <section id="open" class="list-section">
                <h2>Open <span class="count" data-count></span></h2>
                <p class="hint">Nobody has these yet. Oldest first.</p>
                <ol class="items" data-items></ol>
                <p class="empty" data-empty hidden>Nothing is waiting. New requests appear here by themselves.</p>
              </section>
              <section id="acknowledged" class="list-section">
                <h2>Taken <span class="count" data-count></span></h2>
                <ol class="items" data-items></ol>
                <p class="empty" data-empty hidden>Nobody has a request right now.</p>
              </section>
              <section id="resolved" class="list-section">
                <h2>Resolved in the last 24 hours <span class="count" data-count></span></h2>
                <ol class="items" data-items></ol>
                <p class="empty" data-empty hidden>Nothing resolved lately.</p>
              </section>
            </main>
            """;
        return Html.Result(Html.Page("Inbox · AssistanceRouter", body, bodyClass: "app", script: "inbox.js"));
    }
}
