using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.Grains.Storage;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;
using FromServicesAttribute = Microsoft.AspNetCore.Mvc.FromServicesAttribute;

namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>Where a bot's call for help comes in: accept, look up, list; what people do with it is in <see cref="RequestLifecycleApi"/>.</summary>
public static class AssistanceRequestsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapAssistanceRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/assistance-requests").WithTags("Assistance requests");
        api.MapPost("", Submit)
            .Accepts<SubmitAssistanceRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("SubmitAssistanceRequest")
            .WithSummary("Accept a request for help; answers once it is stored");
        api.MapGet("", List).WithName("ListAssistanceRequests")
            .WithSummary("The Open queue (oldest first), acknowledged, resolved or failed requests (newest first), paged");
        api.MapGet("{id}", Get).WithName("GetAssistanceRequest").WithSummary("A request's status, deliveries, escalation and history");
        api.MapRequestLifecycle();

        // The earlier service's path, so that bots already calling it keep working (with or without a trailing '/').
        app.MapPost("/assistance-request", Submit).AddEndpointFilter(AnswerAsTheEarlierService).ExcludeFromDescription();
        return app;
    }

    /// <summary>The earlier service answered 200, and a bot may take any other code as a failure and post again.</summary>
    private static async ValueTask<object?> AnswerAsTheEarlierService(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if ((result as INestedHttpResult)?.Result is not Accepted<AssistanceRequestView> accepted) return result;
        context.HttpContext.Response.Headers.Location = accepted.Location;
        return TypedResults.Ok(accepted.Value);
    }

    public static async Task<Results<Accepted<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Submit(
        HttpRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        IClusterClient cluster,
        RoutingTableCache routes,
        IOptions<JsonOptions> json,
        IOptions<EscalationOptions> escalation,
        DeliveryMetrics metrics,
        [FromServices] NewRequestIds newIds,
        CancellationToken cancellationToken)
    {
        if (SubmissionReader.CheckIdempotencyKey(idempotencyKey) is ProblemHttpResult badKey) return badKey;
        var (submission, problem) = await SubmissionReader.ReadAsync(request, json.Value.SerializerOptions, cancellationToken);
        switch (problem)
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult other: return other;
        }

        var topic = TopicNames.Normalize(submission!.Topic);
        var route = (await routes.GetAsync()).Resolve(topic);
        if (route.Channels is null)
        {
            var message = $"Unknown topic '{topic}'. {KnownTopicsText(route.KnownTopics)}";
            return ProblemAnswers.Invalid("topic", message);
        }

        var id = idempotencyKey is null ? newIds.Mint() : SubmissionReader.RequestIdFor(idempotencyKey);
        var fingerprint = idempotencyKey is null ? null : SubmissionReader.Fingerprint(submission with { Topic = topic });
        SubmissionResult result;
        try
        {
            result = await cluster.Reference<IAssistanceRequestGrain>(id).Submit(new NewAssistanceRequest(
                topic, submission.Description, route.Channels, fingerprint, submission.ConversationUrl, submission.Metadata,
                route.Escalation ?? escalation.Value.DefaultFor(route.Channels),
                MetricsTopic: route.Routed ? topic : DeliveryMetrics.OtherTopic));
        }
        finally
        {
            newIds.Take(id); // taken already if the request activated here; if not, nobody needs it any more
        }
        switch (result.Outcome)
        {
            case SubmissionOutcome.IdempotencyConflict:
                return ProblemAnswers.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"The Idempotency-Key '{idempotencyKey}' was already used for request {id} with a different body.");
            case SubmissionOutcome.Created:
                metrics.Accepted(route.Routed ? topic : DeliveryMetrics.OtherTopic);
                break;
            case SubmissionOutcome.Replayed:
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                break;
        }
        return TypedResults.Accepted(Location(id), result.Request!);
    }

    /// <summary>Topics an unknown-topic answer names: the answer stays small however large the table.</summary>
    public const int MaxTopicsNamed = 20;

    private static string KnownTopicsText(string[] known) => known.Length switch
    {
        0 => "No topic is routed yet (PUT /topics/{topic}).",
        <= MaxTopicsNamed => $"Known topics: {string.Join(", ", known)}.",
        _ => $"Known topics: {string.Join(", ", known.Take(MaxTopicsNamed))} and {known.Length - MaxTopicsNamed} more (GET /topics lists them all).",
    };

    /// <summary>Lists requests by status: <c>Open</c> is the queue people take from, oldest first.</summary>
    /// <param name="status"><c>Open</c>, <c>Acknowledged</c>, <c>Resolved</c> or <c>Failed</c> (the dead letters).</param>
    /// <param name="topic">Only this topic's requests.</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">1 to 100; 20 by default.</param>
    public static async Task<Results<Ok<RequestPage>, ValidationProblem>> List(
        string? status, string? topic, IClusterClient cluster, int page = 1, int pageSize = 20)
    {
        var errors = new Dictionary<string, string[]>();
        var list = status?.ToLowerInvariant() switch
        {
            "open" => RequestLists.Open,
            "acknowledged" => RequestLists.Acknowledged,
            "resolved" => RequestLists.Resolved,
            "failed" => RequestLists.Failed,
            _ => null,
        };
        if (list is null) errors["status"] = ["'status' must be Open, Acknowledged, Resolved or Failed."];
        if (page < 1) errors["page"] = ["'page' starts at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"'pageSize' must be 1 to {MaxPageSize}."];
        var skip = (long)(page - 1) * pageSize;
        if (skip > int.MaxValue) errors["page"] = [$"'page' is too large for pages of {pageSize}."];
        if (errors.Count > 0) return ProblemAnswers.Invalid(errors);

        var listed = await cluster.GetGrain<IRequestListGrain>(0).Page(
            list!, string.IsNullOrWhiteSpace(topic) ? null : TopicNames.Normalize(topic), (int)skip, pageSize);
        return TypedResults.Ok(new RequestPage(listed.Requests, page, pageSize, listed.Total));
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ProblemHttpResult>> Get(string id, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId) || await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Get() is not { } view)
            return NotFound(id);
        return TypedResults.Ok(view);
    }

    public static string Location(Guid id) => $"/assistance-requests/{id}";

    public static ProblemHttpResult NotFound(string id) =>
        ProblemAnswers.Problem(StatusCodes.Status404NotFound, "Not found", $"There is no assistance request with id '{id}'.");
}
