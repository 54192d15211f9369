using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>
/// Says "this object, or null" the way JSON Schema 2020-12 (OpenAPI 3.1) does: <c>anyOf: [{$ref}, {type: null}]</c>.
/// Swashbuckle writes a nullable reference as <c>type: null</c> beside <c>allOf: [{$ref}]</c>, which no value meets (an
/// object is not null, null is not an object), so every answer with an acknowledgement, or without one, failed it. And a
/// validation problem's <c>errors</c> is optional: a 400 for malformed JSON has none.
/// </summary>
public sealed class NullableReferencesFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components?.Schemas?.Values ?? []) Visit(schema, seen);
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var content in (operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values ?? []))
                Visit(content.Schema, seen);
            foreach (var content in operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
                Visit(content.Schema, seen);
        }
        if (document.Components?.Schemas?.TryGetValue("HttpValidationProblemDetails", out var problem) == true && problem is OpenApiSchema validation)
            validation.Required?.Remove("errors");
    }

    private static void Visit(IOpenApiSchema? schema, HashSet<OpenApiSchema> seen)
    {
        if (schema is not OpenApiSchema editable || !seen.Add(editable)) return;
        if (editable.Properties is { } properties)
            foreach (var name in properties.Keys.ToArray())
                properties[name] = Fixed(properties[name], seen);
        if (editable.Items is { } items) editable.Items = Fixed(items, seen);
        if (editable.AdditionalProperties is { } additional) editable.AdditionalProperties = Fixed(additional, seen);
        foreach (var list in new[] { editable.AllOf, editable.AnyOf, editable.OneOf })
            for (var i = 0; i < (list?.Count ?? 0); i++) list![i] = Fixed(list[i], seen);
    }

    private static IOpenApiSchema Fixed(IOpenApiSchema schema, HashSet<OpenApiSchema> seen)
    {
        if (schema is OpenApiSchema { Type: JsonSchemaType.Null, AllOf: [var only] } nullable)
            return new OpenApiSchema { Description = nullable.Description, AnyOf = [only, new OpenApiSchema { Type = JsonSchemaType.Null }] };
        Visit(schema, seen);
        return schema;
    }
}
