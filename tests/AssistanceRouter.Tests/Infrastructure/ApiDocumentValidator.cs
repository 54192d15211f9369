using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// Checks real answers against the served API document with tools nobody here wrote: Microsoft.OpenApi reads the
/// document (operation, declared statuses, media types, required headers), JsonSchema.Net validates each body against
/// the operation's response schema for that status and media type, formats included. An answer whose status or media
/// type the document does not declare is a failure.
/// </summary>
public sealed class ApiDocumentValidator
{
    private readonly OpenApiDocument document;
    private readonly JsonObject definitions = [];
    private readonly Dictionary<string, JsonSchema> schemas = [];
    private readonly (Regex Path, string Template)[] paths;

    private ApiDocumentValidator(OpenApiDocument document)
    {
        this.document = document;
        foreach (var (name, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
            definitions[name] = JsonNode.Parse(AsJson(schema));
        paths = [.. document.Paths.Keys.Select(t => (new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{[^}]+}", "[^/]+") + "$"), t))];
    }

    public OpenApiSpecVersion Version { get; private init; }

    /// <summary>Every operation of the document, as <c>METHOD /path/template</c>.</summary>
    public IEnumerable<string> Operations => document.Paths.SelectMany(p => (p.Value.Operations ?? []).Keys.Select(m => $"{m.Method} {p.Key}"));

    public static ApiDocumentValidator Read(string json)
    {
        var read = OpenApiDocument.Parse(json, "json");
        Assert.True(read.Diagnostic is null || read.Diagnostic.Errors.Count == 0,
            "Microsoft.OpenApi finds the document invalid: " + string.Join("; ", read.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        return new ApiDocumentValidator(read.Document!) { Version = read.Diagnostic!.SpecificationVersion };
    }

    /// <summary>The operation an answer belongs to (<c>METHOD /path/template</c>), or null when the document has no such path and method.</summary>
    public string? OperationOf(RecordedAnswer answer)
    {
        var path = answer.Path.Split('?')[0];
        var template = paths.FirstOrDefault(p => p.Path.IsMatch(path)).Template;
        if (template is null || document.Paths[template].Operations?.ContainsKey(new HttpMethod(answer.Method)) != true) return null;
        return $"{answer.Method} {template}";
    }

    /// <summary>What is wrong with <paramref name="answer"/> by the document, or nothing.</summary>
    public IEnumerable<string> Problems(RecordedAnswer answer)
    {
        if (OperationOf(answer) is not { } operationName)
        {
            yield return $"{answer}: the document has no such operation";
            yield break;
        }
        var template = operationName[(operationName.IndexOf(' ') + 1)..];
        var operation = document.Paths[template].Operations![new HttpMethod(answer.Method)];
        if (operation.Responses?.GetValueOrDefault(answer.Status.ToString()) is not { } response)
        {
            yield return $"{answer}: status {answer.Status} is not declared for {operationName} (declared: {string.Join(", ", operation.Responses?.Keys.AsEnumerable() ?? [])})";
            yield break;
        }
        foreach (var (name, header) in response.Headers ?? new Dictionary<string, IOpenApiHeader>())
            if (header.Required && !answer.Headers.ContainsKey(name))
                yield return $"{answer}: the header {name} is declared required and is missing";
        if (answer.Body.Length == 0)
        {
            if (response.Content is { Count: > 0 }) yield return $"{answer}: the document declares a body ({string.Join(", ", response.Content.Keys)}) and there is none";
            yield break;
        }
        var mediaType = answer.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || response.Content is null || !response.Content.TryGetValue(mediaType, out var media) || media.Schema is not { } schema)
        {
            yield return $"{answer}: the media type {mediaType} is not declared for {answer.Status} (declared: {string.Join(", ", response.Content?.Keys.AsEnumerable() ?? [])})";
            yield break;
        }
        var key = $"{operationName} {answer.Status} {mediaType}";
        if (!schemas.TryGetValue(key, out var compiled)) schemas[key] = compiled = Compile(schema);
        using var body = JsonDocument.Parse(answer.Body);
        var result = compiled.Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (!result.IsValid)
            yield return $"{answer}: the body does not match the schema of {key}: " + string.Join("; ",
                (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));
    }

    /// <summary>The response's schema as a JSON Schema 2020-12 document of its own, the document's components as its <c>$defs</c>.</summary>
    private JsonSchema Compile(IOpenApiSchema schema)
    {
        var root = JsonNode.Parse(AsJson(schema))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = definitions.DeepClone();
        var text = root.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://assistance-router.test/{Guid.NewGuid():N}"));
    }

    private static string AsJson(IOpenApiSchema schema)
    {
        var text = new StringWriter();
        schema.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}
