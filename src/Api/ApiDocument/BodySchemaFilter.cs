using System.Text.Json.Nodes;
using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Topics;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Routing;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>
/// The request bodies' schemas as the endpoints check them (<see cref="SubmissionReader"/>, <see cref="RequestLifecycleApi"/>,
/// <see cref="TopicsApi"/>): which fields are required, their lengths, patterns and counts. The submission carries an
/// example that "Try it out" can send as it stands: <c>sales</c> is routed by the shipped configuration, so it answers 202.
/// </summary>
public sealed class BodySchemaFilter : ISchemaFilter
{
    public static readonly JsonObject Example = new() { ["topic"] = "sales", ["description"] = "I need help with my order" };

    /// <summary>A topic as a client should send it; the server also trims it and lower-cases ASCII letters.</summary>
    public const string TopicPattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    public const string MetadataKeyPattern = "^[A-Za-z0-9_.-]{1,40}$";

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema body) return;
        if (context.Type == typeof(SubmitAssistanceRequest)) Submission(body);
        else if (context.Type == typeof(AcknowledgeRequest)) Acknowledgement(body);
        else if (context.Type == typeof(ResolveRequest)) Resolution(body);
        else if (context.Type == typeof(RouteChannels)) Route(body);
        else if (context.Type == typeof(EscalationBody)) Escalation(body);
        else if (context.Type == typeof(EscalationStepBody)) body.Required = new HashSet<string> { "after", "channels" };
    }

    private static void Submission(OpenApiSchema submission)
    {
        submission.Required = new HashSet<string> { "topic", "description" };
        Property(submission, "topic", p => (p.Type, p.MinLength, p.MaxLength, p.Pattern) = (JsonSchemaType.String, 1, TopicNames.MaxLength, TopicPattern));
        Property(submission, "description", p => (p.Type, p.MinLength, p.MaxLength) = (JsonSchemaType.String, 1, SubmissionReader.MaxDescriptionLength));
        Property(submission, "conversationUrl", p => (p.MaxLength, p.Format) = (SubmissionReader.MaxConversationUrlLength, "uri"));
        Property(submission, "metadata", p =>
        {
            p.MaxProperties = SubmissionReader.MaxMetadataEntries;
            p.PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = MetadataKeyPattern };
            p.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = SubmissionReader.MaxMetadataValueLength };
        });
        // Unknown fields are ignored, not refused.
        submission.AdditionalPropertiesAllowed = true;
        submission.AdditionalProperties = null;
        submission.Examples = [Example.DeepClone()];
    }

    private static void Acknowledgement(OpenApiSchema acknowledgement)
    {
        Person(acknowledgement);
        Property(acknowledgement, "via", p => p.Enum = [JsonValue.Create("api"), JsonValue.Create("inbox")]);
    }

    private static void Resolution(OpenApiSchema resolution)
    {
        Person(resolution);
        Property(resolution, "note", p => p.MaxLength = RequestLifecycleApi.MaxNoteLength);
    }

    private static void Person(OpenApiSchema body)
    {
        body.Required = new HashSet<string>();
        Property(body, "by", p => (p.MinLength, p.MaxLength) = (1, RequestLifecycleApi.MaxNameLength));
    }

    private static void Route(OpenApiSchema route)
    {
        route.Required = new HashSet<string> { "channels" };
        Property(route, "channels", p =>
        {
            (p.MinItems, p.MaxItems) = (1, TopicsApi.MaxChannelsPerTopic);
            p.Items = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = TopicNames.MaxLength };
        });
    }

    private static void Escalation(OpenApiSchema escalation)
    {
        escalation.Required = new HashSet<string>();
        Property(escalation, "steps", p => p.MaxItems = EscalationPolicy.MaxSteps);
        Property(escalation, "repeat", p => (p.Minimum, p.Maximum) = ("0", EscalationPolicy.MaxRepeat.ToString()));
    }

    private static void Property(OpenApiSchema schema, string name, Action<OpenApiSchema> change)
    {
        if (schema.Properties?.TryGetValue(name, out var property) == true && property is OpenApiSchema editable) change(editable);
    }
}
