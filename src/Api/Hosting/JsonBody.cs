using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Unicode;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Reads a JSON request body the strict way, every refusal a problem+json 4xx that says why: JSON in UTF-8 only
/// (another charset is 415), a size limit (413), valid UTF-8, well-formed JSON, each property once, the right types.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions json, int maxBytes, string shape, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, ProblemAnswers.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the body as application/json, not '{Shorten(request.ContentType ?? "no content type")}'."));
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var media) && media.Charset.HasValue
            && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return (null, ProblemAnswers.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the body as UTF-8 (charset=utf-8, or no charset), not charset={Shorten(media.Charset.ToString())}."));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));
        var body = await ReadAtMostAsync(request.BodyReader, maxBytes, cancellationToken);
        if (body is null) return (null, TooLarge(maxBytes));
        if (!Utf8.IsValid(body))
            return (null, Malformed("The body is not valid UTF-8: JSON must be sent as UTF-8."));

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, json);
        }
        catch (JsonException ex)
        {
            return (null, Malformed(Explain(body, ex, shape)));
        }
        return value is null ? (null, Malformed($"The body must be {shape}.")) : (value, null);
    }

    private static ProblemHttpResult Malformed(string detail) => ProblemAnswers.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", detail);

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ProblemAnswers.Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body must be at most {maxBytes / 1024} KiB.");

    /// <summary>Tells bad syntax, a repeated property and a value of the wrong type apart, and says where.</summary>
    private static string Explain(byte[] body, JsonException ex, string shape)
    {
        try
        {
            using var _ = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException syntax) when (syntax.Message.Contains("Duplicate", StringComparison.Ordinal))
        {
            return $"The body names a property twice{(ex.Path is { Length: > 1 } path ? $" (at {path})" : "")}: each may appear once.";
        }
        catch (JsonException syntax)
        {
            return $"The body is not valid JSON (line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1}).";
        }
        if (ex.InnerException?.Message.Contains("UTF-16", StringComparison.Ordinal) == true)
            return $"The text at {ex.Path} is not valid Unicode: it escapes half of a surrogate pair (such as \\ud800) alone.";
        return ex.Path is null or "$" ? $"The body must be {shape}." : $"The value at {ex.Path} has the wrong type: the body must be {shape}.";
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

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
