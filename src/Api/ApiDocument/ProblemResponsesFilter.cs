using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>
/// The answers every operation may give beside its own results, which handlers returning a plain problem do not
/// declare: 404 for a named thing that does not exist, 409 for a retry with nothing to retry, 401 when the API has
/// keys, 503 when the cluster does not answer; and the headers a bot acts on (<c>Location</c>, <c>Retry-After</c>).
/// </summary>
public sealed class ProblemResponsesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var api = context.ApiDescription;
        operation.Responses ??= [];
        if (api.ParameterDescriptions.Any(p => p.Source == BindingSource.Path) && api.HttpMethod is not "PUT")
            AddProblem(operation, context, StatusCodes.Status404NotFound, "Nothing has that id or name.");
        if (api.HttpMethod is "POST" && api.RelativePath?.EndsWith("/retry", StringComparison.Ordinal) == true)
            AddProblem(operation, context, StatusCodes.Status409Conflict, "No delivery of the request failed, or a person already has it.");
        AddProblem(operation, context, StatusCodes.Status401Unauthorized,
            $"The API has keys (Api:Keys) and the {ApiKeyMiddleware.Header} header holds none of them.");
        var unavailable = AddProblem(operation, context, StatusCodes.Status503ServiceUnavailable,
            "The cluster or its storage did not answer in time; nothing was lost. Retry after Retry-After seconds (with the same Idempotency-Key).");
        unavailable.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        };

        // In order of status, as a reader looks them up.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted) operation.Responses[status] = response;

        if (operation.Responses.GetValueOrDefault("202") is OpenApiResponse accepted)
            accepted.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Location"] = new OpenApiHeader { Description = "Where the request's status is: /assistance-requests/{id}.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        if (operation.Parameters?.FirstOrDefault(p => p.Name == AssistanceRequestsApi.IdempotencyKeyHeader) is OpenApiParameter key)
            key.Description = "Optional, 1 to 255 printable ASCII characters: the same key with the same body returns the same request " +
                "(and never delivers twice); with another body it is 422.";
    }

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
