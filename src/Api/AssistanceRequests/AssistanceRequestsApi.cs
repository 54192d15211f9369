using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>One page of a listing; <see cref="Total"/> counts every match.</summary>
public sealed record RequestPage(AssistanceRequestView[] Items, int Page, int PageSize, int Total);

/// <summary>Where a bot's call for help comes in: accept, look up, acknowledge, retry.</summary>
public static class AssistanceRequestsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static WebApplication MapAssistanceRequestsApi(this WebApplication app)
    {
        var api = app.MapGroup("/assistance-requests").WithTags("Assistance requests");
        api.MapPost("", Submit)
            .Accepts<SubmitAssistanceRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Accept a request for help; answers once it is stored");
        api.MapGet("", List).WithSummary("The dead letters: requests whose delivery failed (?status=Failed), newest first, paged");
        api.MapGet("{id}", Get).WithSummary("A request's status and every delivery");
        api.MapPost("{id}/acknowledge", Acknowledge).WithSummary("A person took the request: stop notifying");
        api.MapPost("{id}/retry", Retry).WithSummary("Try failed deliveries again");

        // The seed service's path, so that bots already calling it keep working.
        app.MapPost("/assistance-request", Submit).ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Accepted<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Submit(
        HttpRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        IClusterClient cluster,
        RoutingTableCache routes,
        IOptions<JsonOptions> json,
        DeliveryMetrics metrics,
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
            var message = $"Unknown topic '{topic}'. Known topics: {string.Join(", ", route.KnownTopics)}.";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["topic"] = [message] }, detail: message);
        }

        var id = idempotencyKey is null ? Guid.CreateVersion7() : SubmissionReader.RequestIdFor(idempotencyKey);
        var fingerprint = idempotencyKey is null ? null : SubmissionReader.Fingerprint(topic, submission.Description);
        var result = await cluster.GetGrain<IAssistanceRequestGrain>(id)
            .Submit(new NewAssistanceRequest(topic, submission.Description, route.Channels, fingerprint));
        switch (result.Outcome)
        {
            case SubmissionOutcome.IdempotencyConflict:
                return SubmissionReader.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"The Idempotency-Key '{idempotencyKey}' was already used for request {id} with a different body.");
            case SubmissionOutcome.Created:
                metrics.Accepted(topic);
                break;
            case SubmissionOutcome.Replayed:
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                break;
        }
        return TypedResults.Accepted(Location(id), result.Request!);
    }

    public const int MaxPageSize = 100;

    /// <summary>Lists requests by status; only <c>Failed</c> (the dead letters) is listed.</summary>
    /// <param name="status">Must be <c>Failed</c>.</param>
    /// <param name="page">1-based page number.</param>
    /// <param name="pageSize">1 to 100; 20 by default.</param>
    public static async Task<Results<Ok<RequestPage>, ValidationProblem>> List(
        string? status, IClusterClient cluster, int page = 1, int pageSize = 20)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.Equals(status, nameof(RequestStatus.Failed), StringComparison.OrdinalIgnoreCase))
            errors["status"] = ["Only failed requests are listed: use ?status=Failed."];
        if (page < 1) errors["page"] = ["'page' starts at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"'pageSize' must be 1 to {MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

        var listed = await cluster.GetGrain<IDeadLetterGrain>(0).List((page - 1) * pageSize, pageSize);
        var views = await Task.WhenAll(listed.RequestIds.Select(id => cluster.GetGrain<IAssistanceRequestGrain>(id).Get()));
        return TypedResults.Ok(new RequestPage([.. views.OfType<AssistanceRequestView>()], page, pageSize, listed.Total));
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ProblemHttpResult>> Get(string id, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId) || await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Get() is not { } view)
            return NotFound(id);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ProblemHttpResult>> Acknowledge(string id, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId) || await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Acknowledge() is not { } view)
            return NotFound(id);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Accepted<AssistanceRequestView>, ProblemHttpResult>> Retry(string id, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId)) return NotFound(id);
        var result = await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Retry();
        return result.Outcome switch
        {
            RetryOutcome.Retrying => TypedResults.Accepted(Location(requestId), result.Request!),
            RetryOutcome.NothingToRetry => SubmissionReader.Problem(StatusCodes.Status409Conflict, "Nothing to retry",
                result.Request?.Status == RequestStatus.Acknowledged
                    ? $"Request {requestId} was acknowledged: a person already has it."
                    : $"Request {requestId} has no failed delivery (status {result.Request?.Status})."),
            _ => NotFound(id),
        };
    }

    private static string Location(Guid id) => $"/assistance-requests/{id}";

    private static ProblemHttpResult NotFound(string id) =>
        SubmissionReader.Problem(StatusCodes.Status404NotFound, "Not found", $"There is no assistance request with id '{id}'.");
}
