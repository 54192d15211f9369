using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>What people do with a request: take it, give it back, resolve it, try a failed delivery again.</summary>
public static class RequestLifecycleApi
{
    public const int MaxNameLength = 100;
    public const int MaxNoteLength = 2000;
    public const string DefaultBy = "api";

    public static RouteGroupBuilder MapRequestLifecycle(this RouteGroupBuilder api)
    {
        api.MapPost("{id}/acknowledge", Acknowledge).WithName("AcknowledgeAssistanceRequest")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("A person takes the request: notices stop, everyone notified hears who took it; 409 names who has it");
        api.MapPost("{id}/unacknowledge", Unacknowledge).WithName("UnacknowledgeAssistanceRequest").ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Give it back: open again, escalation resumes at its next step");
        api.MapPost("{id}/resolve", Resolve).WithName("ResolveAssistanceRequest")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Done, for good");
        api.MapPost("{id}/retry", Retry).WithName("RetryAssistanceRequest").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Try failed deliveries again");
        return api;
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Acknowledge(
        string id, AcknowledgeRequest? body, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId)) return AssistanceRequestsApi.NotFound(id);
        var errors = new Dictionary<string, string[]>();
        var by = Name(body?.By, errors);
        var via = body?.Via?.Trim().ToLowerInvariant() switch
        {
            null or "" or "api" => AcknowledgementVia.Api,
            "inbox" => AcknowledgementVia.Inbox,
            _ => (AcknowledgementVia?)null,
        };
        if (via is null) errors["via"] = ["'via' must be 'api' or 'inbox' (links acknowledge through their own page)."];
        if (errors.Count > 0) return ProblemAnswers.Invalid(errors);
        return Answer(id, await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Acknowledge(by, via!.Value), "Someone else has it");
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Unacknowledge(
        string id, UnacknowledgeRequest? body, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId)) return AssistanceRequestsApi.NotFound(id);
        var errors = new Dictionary<string, string[]>();
        var by = Name(body?.By, errors);
        if (errors.Count > 0) return ProblemAnswers.Invalid(errors);
        return Answer(id, await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Unacknowledge(by), "Not acknowledged");
    }

    public static async Task<Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult>> Resolve(
        string id, ResolveRequest? body, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId)) return AssistanceRequestsApi.NotFound(id);
        var errors = new Dictionary<string, string[]>();
        var by = Name(body?.By, errors);
        var note = string.IsNullOrWhiteSpace(body?.Note) ? null : body.Note.Trim();
        if (note?.Length > MaxNoteLength) errors["note"] = [$"'note' must be at most {MaxNoteLength} characters; it has {note.Length}."];
        if (errors.Count > 0) return ProblemAnswers.Invalid(errors);
        return Answer(id, await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Resolve(by, note), "Cannot resolve");
    }

    public static async Task<Results<Accepted<AssistanceRequestView>, ProblemHttpResult>> Retry(string id, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var requestId)) return AssistanceRequestsApi.NotFound(id);
        var result = await cluster.GetGrain<IAssistanceRequestGrain>(requestId).Retry();
        return result.Outcome switch
        {
            LifecycleOutcome.Done => TypedResults.Accepted(AssistanceRequestsApi.Location(requestId), result.Request!),
            LifecycleOutcome.Conflict => ProblemAnswers.Problem(StatusCodes.Status409Conflict, "Nothing to retry", result.Reason!),
            _ => AssistanceRequestsApi.NotFound(id),
        };
    }

    /// <summary>
    /// A person's name as they typed it, trimmed and NFKC-normalised (<see cref="PersonNames"/>): 1 to 100 characters, no
    /// control characters, none that a reader cannot see (<see cref="InvisibleCharacters"/>); <c>api</c> when absent.
    /// </summary>
    public static string Name(string? by, Dictionary<string, string[]> errors)
    {
        var name = by is null ? null : PersonNames.Normalize(by);
        if (string.IsNullOrEmpty(name)) return by is null ? DefaultBy : Fail("'by' must not be blank.");
        if (name.Length > MaxNameLength) return Fail($"'by' must be at most {MaxNameLength} characters.");
        if (InvisibleCharacters.First(name) is { } hidden)
            return Fail($"'by' must not hold characters a reader cannot see, which change how a name reads or make two look alike ({hidden}).");
        if (name.Any(char.IsControl)) return Fail("'by' must not hold control characters.");
        return name;

        string Fail(string message)
        {
            errors["by"] = [message];
            return "";
        }
    }

    private static Results<Ok<AssistanceRequestView>, ValidationProblem, ProblemHttpResult> Answer(string id, LifecycleResult result, string conflictTitle) =>
        result.Outcome switch
        {
            LifecycleOutcome.Done or LifecycleOutcome.Unchanged => TypedResults.Ok(result.Request!),
            LifecycleOutcome.Conflict => ProblemAnswers.Problem(StatusCodes.Status409Conflict, conflictTitle, result.Reason!),
            _ => AssistanceRequestsApi.NotFound(id),
        };
}
