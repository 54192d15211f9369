using AssistanceRouter.Api.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>
/// The answers every operation may give beside its own (which each endpoint declares with <c>ProducesProblem</c>): 404
/// for a named thing that does not exist, 401 when the API has keys, 403 and 415 from the cross-site guard on
/// state-changing operations, 429 past the rate limit, 503 when the cluster does
/// not answer; each as <c>application/problem+json</c>, said in words a client can act on; and the headers a bot acts
/// on (<c>Location</c>, <c>Retry-After</c>).
/// </summary>
public sealed class ProblemResponsesFilter : IOperationFilter
{
    /// <summary>What each problem status means here, where the endpoint did not say more than the status's name.</summary>
    private static readonly Dictionary<int, string> Meanings = new()
    {
        [StatusCodes.Status400BadRequest] = "The body, a parameter or a header is not as documented: detail says what, and errors (when present) names each field.",
        [StatusCodes.Status404NotFound] = "Nothing has that id or name.",
        [StatusCodes.Status409Conflict] = "The request's state does not allow it: detail says who has it, or why not.",
        [StatusCodes.Status413PayloadTooLarge] = "The body is larger than this operation takes.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not JSON in UTF-8: send Content-Type application/json, also when there is no body.",
        [StatusCodes.Status422UnprocessableEntity] = "The Idempotency-Key was used before with another body.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var api = context.ApiDescription;
        operation.Responses ??= [];
        if (api.ParameterDescriptions.Any(p => p.Source == BindingSource.Path) && api.HttpMethod is not "PUT")
            AddProblem(operation, context, StatusCodes.Status404NotFound, Meanings[StatusCodes.Status404NotFound]);
        AddProblem(operation, context, StatusCodes.Status401Unauthorized,
            $"The API has keys (Api:Keys) and the {ApiKeyMiddleware.Header} header holds none of them.");
        if (api.HttpMethod is "POST" or "PUT" or "DELETE" && !api.ActionDescriptor.EndpointMetadata.OfType<CrossSiteGuardSkipped>().Any())
        {
            AddProblem(operation, context, StatusCodes.Status403Forbidden,
                $"A browser says a page on another site sent it (Sec-Fetch-Site or Origin) and no {ApiKeyMiddleware.Header} vouches for it.");
            if (api.HttpMethod is not "DELETE")
                AddProblem(operation, context, StatusCodes.Status415UnsupportedMediaType, Meanings[StatusCodes.Status415UnsupportedMediaType]);
        }
        AddProblem(operation, context, StatusCodes.Status429TooManyRequests,
            "This client made more requests than Api:RateLimit allows (when set): retry after Retry-After seconds.").Headers = RetryAfter();
        AddProblem(operation, context, StatusCodes.Status503ServiceUnavailable,
            "The cluster or its storage did not answer in time; nothing was lost. Retry after Retry-After seconds (with the same Idempotency-Key).")
            .Headers = RetryAfter();

        foreach (var (status, response) in operation.Responses)
            if (response is OpenApiResponse declared && int.TryParse(status, out var code) && Meanings.TryGetValue(code, out var meaning)
                && declared.Description == ReasonPhrase(code))
                declared.Description = meaning;

        // In order of status, as a reader looks them up.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted) operation.Responses[status] = response;

        if (operation.Responses.GetValueOrDefault("202") is OpenApiResponse accepted)
            accepted.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Location"] = new OpenApiHeader
                {
                    Description = "Where the request's status is: /assistance-requests/{id}.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            };
    }

    private static Dictionary<string, IOpenApiHeader> RetryAfter() => new()
    {
        ["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
        },
    };

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static OpenApiResponse AddProblem(OpenApiOperation operation, OperationFilterContext context, int status, string description)
    {
        var key = status.ToString();
        if (operation.Responses!.GetValueOrDefault(key) is OpenApiResponse declared) return declared;
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
            },
        };
        operation.Responses![key] = response;
        return response;
    }
}
