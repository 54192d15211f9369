using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.ServiceDefaults;

namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>Reads and checks the body of a submission; every rejection is a problem+json 4xx that says why.</summary>
public static class SubmissionReader
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxDescriptionLength = 4000;
    public const int MaxIdempotencyKeyLength = 255;
    public const int MaxConversationUrlLength = 2048;
    public const int MaxMetadataEntries = 16;
    public const int MaxMetadataKeyLength = 40;
    public const int MaxMetadataValueLength = 500;

    public sealed record Submission(string Topic, string Description, string? ConversationUrl, Dictionary<string, string>? Metadata);

    public static async Task<(Submission? Submission, IResult? Problem)> ReadAsync(HttpRequest request, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var (submitted, problem) = await JsonBody.ReadAsync<SubmitAssistanceRequest>(request, json, MaxBodyBytes,
            "a JSON object with 'topic', 'description' and 'conversationUrl' as strings and 'metadata' a flat object of strings", cancellationToken);
        if (submitted is null) return (null, problem);

        var errors = new Dictionary<string, string[]>();
        var topic = submitted.Topic?.Trim() ?? "";
        var description = submitted.Description?.Trim() ?? "";
        if (topic.Length == 0) errors["topic"] = ["'topic' is required."];
        else if (!TopicNames.IsValid(TopicNames.Normalize(topic)))
            errors["topic"] = [$"'{TopicNames.Shorten(topic)}' is not a valid topic name: {TopicNames.Rule}."];
        if (description.Length == 0)
            errors["description"] = [submitted.Description is null ? "'description' is required." : "'description' must not be blank."];
        else if (description.Length > MaxDescriptionLength)
            errors["description"] = [$"'description' must be at most {MaxDescriptionLength} characters after trimming; it has {description.Length}."];
        else if (description.Any(IsControl))
            errors["description"] = ["'description' must not contain control characters (other than tabs and line breaks)."];
        var conversationUrl = string.IsNullOrWhiteSpace(submitted.ConversationUrl) ? null : submitted.ConversationUrl.Trim();
        if (conversationUrl is not null && ConversationUrlProblem(conversationUrl) is { } urlProblem) errors["conversationUrl"] = [urlProblem];
        if (submitted.Metadata is not null && MetadataProblem(submitted.Metadata) is { } metadataProblem) errors["metadata"] = [metadataProblem];
        if (errors.Count > 0)
            return (null, ProblemAnswers.Invalid(errors));
        return (new Submission(topic, description, conversationUrl, submitted.Metadata is { Count: > 0 } metadata ? metadata : null), null);
    }

    private static string? ConversationUrlProblem(string url)
    {
        if (url.Length > MaxConversationUrlLength) return $"'conversationUrl' must be at most {MaxConversationUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
            return "'conversationUrl' must be an absolute http or https URL.";
        // https://chat.example@evil.example/ reads as one host and leads to another: a notice must not show such a link.
        return parsed.UserInfo.Length > 0 ? "'conversationUrl' must not carry user info (a name or password before '@')." : null;
    }

    private static string? MetadataProblem(Dictionary<string, string> metadata)
    {
        if (metadata.Count > MaxMetadataEntries) return $"'metadata' may hold at most {MaxMetadataEntries} entries; it has {metadata.Count}.";
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                return $"'metadata' keys must be 1 to {MaxMetadataKeyLength} characters of A-Z, a-z, 0-9, '_', '.', '-'.";
            if (value is null) return $"'metadata' values must be strings ('{key}' is null).";
            if (value.Length > MaxMetadataValueLength) return $"'metadata' values must be at most {MaxMetadataValueLength} characters ('{key}' has {value.Length}).";
        }
        return null;
    }

    /// <summary>NUL and the like: no mail, chat or log line carries them safely; tabs and line breaks are text.</summary>
    private static bool IsControl(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    /// <summary>Checks the Idempotency-Key header; null when it is fine or absent.</summary>
    public static IResult? CheckIdempotencyKey(string? key) =>
        key is null || (key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is >= ' ' and <= '~'))
            ? null
            : ProblemAnswers.Problem(StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
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

    /// <summary>
    /// What "the same body" means: the same topic, description, conversation link and metadata after normalisation.
    /// A submission with neither of the last two hashes as earlier versions did, so their stored keys still match.
    /// </summary>
    public static string Fingerprint(Submission submission)
    {
        var text = $"{submission.Topic}\n{submission.Description}";
        if (submission.ConversationUrl is not null || submission.Metadata is not null)
            text += $"\n{submission.ConversationUrl}\n" + string.Join("\n", (submission.Metadata ?? []).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
