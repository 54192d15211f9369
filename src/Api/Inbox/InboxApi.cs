using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// The page people keep open to take requests (<c>/inbox</c>), the snapshot its script reads (from this node's
/// <see cref="InboxProjection"/>), its event stream, one request's page, and its buttons. Its POSTs go here rather
/// than to <c>/assistance-requests</c>, so that only they (with an anti-forgery token) accept a sign-in cookie;
/// programs keep using the API with <c>X-Api-Key</c>.
/// </summary>
public static class InboxApi
{
    public const int OpenShown = 100;
    public const int AcknowledgedShown = 50;
    public const int ResolvedShown = 20;

    /// <summary>How long a snapshot waits for a node that has just started to read the lists.</summary>
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inbox", InboxPage.Show).ExcludeFromDescription();
        app.MapInboxEvents();
        var inbox = app.MapGroup("/inbox/requests").ExcludeFromDescription();
        inbox.MapGet("", Snapshot);
        inbox.MapRequestDetailPage();
        inbox.MapPost("{id}/acknowledge", async (string id, InboxAction? body, IClusterClient cluster, InboxFeed feed) =>
            Seen(await RequestLifecycleApi.Acknowledge(id, new AcknowledgeRequest(body?.By ?? "", "inbox"), cluster), feed)).RequireAntiforgeryToken();
        inbox.MapPost("{id}/unacknowledge", async (string id, InboxAction? body, IClusterClient cluster, InboxFeed feed) =>
            Seen(await RequestLifecycleApi.Unacknowledge(id, new UnacknowledgeRequest(body?.By ?? ""), cluster), feed)).RequireAntiforgeryToken();
        inbox.MapPost("{id}/resolve", async (string id, InboxAction? body, IClusterClient cluster, InboxFeed feed) =>
            Seen(await RequestLifecycleApi.Resolve(id, new ResolveRequest(body?.By ?? "", body?.Note), cluster), feed)).RequireAntiforgeryToken();
        inbox.MapPost("{id}/retry", async (string id, IClusterClient cluster, InboxFeed feed) =>
        {
            var result = await RequestLifecycleApi.Retry(id, cluster);
            if (result.Result is Accepted<AssistanceRequestView> accepted) feed.Saw(accepted.Value);
            return result;
        }).RequireAntiforgeryToken();
        return app;
    }

    /// <summary>A button's body: who pressed it (the name the page remembers), and a note when resolving.</summary>
    public sealed record InboxAction(string? By, string? Note);

    public static async Task<Results<Ok<InboxSnapshot>, ProblemHttpResult>> Snapshot(
        string? topic, string? q, InboxFeed feed, InboxProjection projection, RoutingTableCache routes, IOptions<InboxOptions> options,
        TimeProvider time, CancellationToken cancellation)
    {
        try
        {
            await feed.Ready.WaitAsync(ReadyWithin, time, cancellation);
        }
        catch (TimeoutException)
        {
            return ProblemAnswers.Problem(StatusCodes.Status503ServiceUnavailable, "The inbox is starting",
                "This node is still reading the request lists from the cluster; try again in a moment.");
        }
        var filter = string.IsNullOrWhiteSpace(topic) ? null : TopicNames.Normalize(topic);
        var search = InboxSearch.Parse(q);
        var view = projection.Query(filter, search, OpenShown, AcknowledgedShown, ResolvedShown);
        var table = await routes.GetAsync();
        var topics = table.Routes.Select(r => r.Topic).Concat(view.Topics.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(t => view.Topics.GetValueOrDefault(t) ?? new TopicCount(t, 0, 0)).ToArray();
        return TypedResults.Ok(new InboxSnapshot(
            time.GetUtcNow(), filter, search?.Text, topics, LateAfter.From(new LateThresholds()),
            options.Value.LateByTopic().ToDictionary(l => l.Key, l => LateAfter.From(l.Value)),
            List(view.Open, view.OpenTotal), List(view.Acknowledged, view.AcknowledgedTotal), List(view.Resolved, view.ResolvedTotal)));
    }

    private static InboxList List(Grains.Changes.RequestSummary[] requests, long total) => new([.. requests.Select(InboxItem.From)], total);

    private static Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult> Seen(
        Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult> answer, InboxFeed feed)
    {
        if (answer.Result is Ok<AssistanceRequestView> done) feed.Saw(done.Value);
        return answer;
    }
}
