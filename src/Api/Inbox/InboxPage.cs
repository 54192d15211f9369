using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Api.SignIn;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// The HTML of <c>/inbox</c>: the bar (search, topic, name, alerts, density) and three empty lists that
/// <c>inbox.js</c> fills from the snapshot and keeps current from <c>/inbox/events</c>.
/// </summary>
public static class InboxPage
{
    /// <summary>The keys the page answers to, as <c>?</c> lists them.</summary>
    public static readonly (string Key, string Does)[] Shortcuts =
    [
        ("j", "next request"), ("k", "previous request"), ("Enter", "open the request's page"), ("t", "take it"),
        ("r", "resolve it"), ("/", "search"), ("Esc", "leave the search box, close this list"), ("?", "show or hide these keys"),
    ];

    public static async Task<IResult> Show(HttpContext context, string? q, IOptions<ApiKeyOptions> keys)
    {
        var signedIn = await BrowserSignIn.IsSignedInAsync(context, [.. keys.Value.Keys.Where(k => !string.IsNullOrEmpty(k))]);
        var query = InboxSearch.Parse(q)?.Text ?? "";
        var shortcuts = string.Concat(Shortcuts.Select(s => $"<dt><kbd>{Html.Text(s.Key)}</kbd></dt><dd>{Html.Text(s.Does)}</dd>"));
        var body = $"""
            <header class="bar">
              <a class="brand" href="/inbox">AssistanceRouter <span>Inbox</span></a>
              <form class="search" method="get" action="/inbox" role="search">
                <input id="q" name="q" type="search" value="{Html.Text(query)}" maxlength="{InboxSearch.MaxLength}" placeholder="Search words, id, metadata" aria-label="Search requests" autocomplete="off">
              </form>
              <div class="controls">
                <label class="field">Topic <select id="topic" name="topic"><option value="">All topics</option></select></label>
                <label class="field">Your name <input id="name" autocomplete="name" maxlength="{RequestLifecycleApi.MaxNameLength}" placeholder="e.g. Alice" title="Shown to everyone as who has a request; remembered in this browser"></label>
                <span class="toggles">
                  <button type="button" id="notify" class="quiet" aria-pressed="false" title="Desktop notifications for new and late requests">Notify</button>
                  <button type="button" id="sound" class="quiet" aria-pressed="false" title="A short sound for new and late requests">Sound</button>
                  <button type="button" id="density" class="quiet" aria-pressed="false" title="Smaller rows, remembered in this browser">Compact</button>
                  <button type="button" id="help" class="quiet" aria-haspopup="dialog" title="Keyboard shortcuts">?</button>
                </span>
                <span id="live" class="live" role="status" aria-live="polite">Connecting…</span>
                {(signedIn ? BrowserSignIn.SignOutForm(context) : "")}
              </div>
            </header>
            <main class="inbox" data-token="{Html.Text(Forms.Token(context))}">
              <p id="toast" class="toast" role="alert" hidden></p>
              <p id="searching" class="searching" hidden><span data-summary></span> <a href="/inbox">Clear the search</a></p>
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
            <dialog id="shortcuts" aria-labelledby="shortcuts-title">
              <h2 id="shortcuts-title">Keyboard shortcuts</h2>
              <dl class="keys">{shortcuts}</dl>
              <form method="dialog"><button type="submit">Close</button></form>
            </dialog>
            """;
        return Html.Result(Html.Page("Inbox · AssistanceRouter", body, bodyClass: "app", scripts: ["inbox-alerts.js", "inbox-rows.js", "inbox.js", "inbox-keys.js"]));
    }
}
