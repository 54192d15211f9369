using System.Text.Json.Nodes;
using AssistanceRouter.Api.AssistanceRequests;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>The limits of the headers and query parameters, as the endpoints check them.</summary>
public sealed class ParameterSchemaFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is not OpenApiSchema schema) continue;
            switch (parameter.Name)
            {
                case AssistanceRequestsApi.IdempotencyKeyHeader:
                    parameter.Description = $"Optional, 1 to {SubmissionReader.MaxIdempotencyKeyLength} printable ASCII characters: the same key with the " +
                        "same body returns the same request (and never delivers twice); with another body it is 422.";
                    (schema.MinLength, schema.MaxLength, schema.Pattern) = (1, SubmissionReader.MaxIdempotencyKeyLength, "^[\\x20-\\x7E]+$");
                    break;
                case "status" when parameter.In == ParameterLocation.Query:
                    parameter.Required = true;
                    schema.Enum = [JsonValue.Create("Open"), JsonValue.Create("Acknowledged"), JsonValue.Create("Resolved"), JsonValue.Create("Failed")];
                    break;
                case "page" when parameter.In == ParameterLocation.Query:
                    schema.Minimum = "1";
                    break;
                case "pageSize" when parameter.In == ParameterLocation.Query:
                    (schema.Minimum, schema.Maximum) = ("1", AssistanceRequestsApi.MaxPageSize.ToString());
                    break;
            }
        }
    }
}
