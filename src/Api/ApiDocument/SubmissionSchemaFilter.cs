using System.Text.Json.Nodes;
using AssistanceRouter.Api.AssistanceRequests;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>
/// The submission's schema as <see cref="SubmissionReader"/> checks it, with an example that "Try it out" can send as
/// it stands: <c>sales</c> is routed by the shipped configuration, so it answers 202.
/// </summary>
public sealed class SubmissionSchemaFilter : ISchemaFilter
{
    public static readonly JsonObject Example = new() { ["topic"] = "sales", ["description"] = "I need help with my order" };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(SubmitAssistanceRequest) || schema is not OpenApiSchema submission) return;
        submission.Required = new HashSet<string> { "topic", "description" };
        if (submission.Properties?.TryGetValue("topic", out var t) == true && t is OpenApiSchema topic)
            (topic.Type, topic.MinLength) = (JsonSchemaType.String, 1);
        if (submission.Properties?.TryGetValue("description", out var d) == true && d is OpenApiSchema description)
            (description.Type, description.MinLength, description.MaxLength) = (JsonSchemaType.String, 1, SubmissionReader.MaxDescriptionLength);
        // Unknown fields are ignored, not refused.
        submission.AdditionalPropertiesAllowed = true;
        submission.AdditionalProperties = null;
        submission.Examples = [Example.DeepClone()];
    }
}
