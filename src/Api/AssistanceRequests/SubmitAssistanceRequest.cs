using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>A customer's call for help, as a bot sends it.</summary>
/// <param name="Topic">What the customer needs help with; picks the channels (for example <c>sales</c>).</param>
/// <param name="Description">The customer's words, 1 to 4,000 characters after trimming.</param>
public sealed record SubmitAssistanceRequest(string? Topic, string? Description);

/// <summary>Reads and checks the body of a submission; every rejection is a problem+json 4xx that says why.</summary>
public static class SubmissionReader
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxDescriptionLength = 4000;
    public const int MaxIdempotencyKeyLength = 255;

    public sealed record Submission(string Topic, string Description);

    public static async Task<(Submission? Submission, IResult? Problem)> ReadAsync(HttpRequest request, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the request as application/json, not '{request.ContentType ?? "no content type"}'."));
        if (request.ContentLength > MaxBodyBytes)
            return (null, TooLarge());
        var body = await ReadAtMostAsync(request.BodyReader, MaxBodyBytes, cancellationToken);
        if (body is null) return (null, TooLarge());

        SubmitAssistanceRequest? submitted;
        try
        {
            submitted = JsonSerializer.Deserialize<SubmitAssistanceRequest>(body, json);
        }
        catch (JsonException ex)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON", JsonProblem(body, ex)));
        }
        if (submitted is null)
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body must be a JSON object with 'topic' and 'description'."));

        var errors = new Dictionary<string, string[]>();
        var topic = submitted.Topic?.Trim() ?? "";
        var description = submitted.Description?.Trim() ?? "";
        if (topic.Length == 0) errors["topic"] = ["'topic' is required."];
        if (description.Length == 0)
            errors["description"] = [submitted.Description is null ? "'description' is required." : "'description' must not be blank."];
        else if (description.Length > MaxDescriptionLength)
            errors["description"] = [$"'description' must be at most {MaxDescriptionLength} characters after trimming; it has {description.Length}."];
        if (errors.Count > 0)
            return (null, TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e))));
        return (new Submission(topic, description), null);
    }

    /// <summary>Checks the Idempotency-Key header; null when it is fine or absent.</summary>
    public static IResult? CheckIdempotencyKey(string? key) =>
        key is null || (key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is >= ' ' and <= '~'))
            ? null
            : Problem(StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters.");

    /// <summary>The same key always names the same request, so that the request grain itself serializes duplicates.</summary>
    public static Guid RequestIdFor(string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("idempotency-key:" + idempotencyKey), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8: custom (name-based on SHA-256)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>What "the same body" means: the same topic and description after normalisation.</summary>
    public static string Fingerprint(string topic, string description) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{topic}\n{description}")));

    /// <summary>Tells bad JSON syntax apart from a value of the wrong type, and says where.</summary>
    private static string JsonProblem(byte[] body, JsonException ex)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException syntax)
        {
            return $"The body is not valid JSON (line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1}).";
        }
        return ex.Path is null or "$"
            ? "The body must be a JSON object with 'topic' and 'description'."
            : $"The value at {ex.Path} has the wrong type: 'topic' and 'description' must be strings.";
    }

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    private static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body must be at most {MaxBodyBytes / 1024} KiB.");

    /// <summary>
    /// The whole body, or null once it passes <paramref name="limit"/>. Read from Kestrel's own pooled buffers and
    /// copied once at its final size: a chunk and a growing stream per request were most of what a submission allocated.
    /// </summary>
    private static async Task<byte[]?> ReadAtMostAsync(PipeReader body, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                body.AdvanceTo(buffer.End);
                return bytes;
            }
            body.AdvanceTo(buffer.Start, buffer.End); // all looked at, nothing taken: wait for more
        }
    }
}
