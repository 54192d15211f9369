using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// What the HTTP-based channel kinds share: the pooled client (logging hosts only), reading a URL setting, and how a
/// receiver's answer maps to a delivery outcome. A webhook URL is a credential (Slack's secret is its path), so no
/// message here or in the log ever shows more of it than its host.
/// </summary>
public static class HttpDelivery
{
    public const string ClientName = "channels";

    /// <summary>Longest body text kept as an error reason.</summary>
    private const int MaxReasonLength = 200;

    /// <summary>Most of a receiver's answer that is read: enough for Slack's error words, never a flood.</summary>
    public const int MaxResponseBytes = 4096;

    /// <summary>The channels' client, with HttpClient's own logging (full URLs at Information) replaced by <see cref="HostOnlyHttpLogger"/>.</summary>
    public static IServiceCollection AddDeliveryHttpClient(this IServiceCollection services)
    {
        services.TryAddSingleton<HostOnlyHttpLogger>();
        services.AddHttpClient(ClientName).RemoveAllLoggers().AddLogger<HostOnlyHttpLogger>();
        return services;
    }

    public static HttpClient Client(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>The http(s) URL in the channel's <paramref name="key"/> setting, or why the channel cannot send (naming its host at most).</summary>
    public static (Uri? Url, string? Problem) Url(ChannelSettings channel, string key, string? value, string? alias = null)
    {
        if (string.IsNullOrWhiteSpace(value))
            return (null, $"channel '{channel.Name}' is not configured: set Channels__{channel.Section.Key}__{key}{(alias is null ? "" : " or " + alias)}");
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url))
            return (null, $"channel '{channel.Name}' has an invalid {key}: the value set ({value.Length} characters) is not an absolute URL");
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            return (null, $"channel '{channel.Name}' has an invalid {key}: '{Redacted(url)}' is not an http(s) URL");
        return (url, null);
    }

    /// <summary>
    /// <paramref name="url"/> as a link any notice may carry (Slack's <c>&lt;url|label&gt;</c>, a card's or an embed's
    /// URL, a line of an email): an absolute http(s) URL with spaces, brackets past the host and every other character
    /// RFC 3986 keeps out of a URL percent-encoded, so that no markup ends the URL early (a <c>|</c> would start Slack's
    /// label) and nothing outside the URL becomes part of it; null for anything else, so that no <c>javascript:</c> link is ever made.
    /// </summary>
    public static string? LinkUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var link) || (link.Scheme != Uri.UriSchemeHttps && link.Scheme != Uri.UriSchemeHttp))
            return null;
        var host = link.GetLeftPart(UriPartial.Authority); // an IPv6 host keeps its brackets
        var rest = new StringBuilder(link.AbsoluteUri.Length);
        foreach (var c in link.AbsoluteUri.AsSpan(host.Length))
            if (c is '[' or ']' or '|' or '<' or '>' or '"' or '`' or '{' or '}' or '\\' or '^' or ' ' || char.IsControl(c))
                rest.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else
                rest.Append(c);
        return host + rest;
    }

    /// <summary>A URL as it may be shown: scheme and host, never the path or query that may hold its secret.</summary>
    public static string Redacted(Uri url) =>
        url.IsAbsoluteUri ? $"{url.Scheme}://{url.Host}/…" : "(a relative URL)";

    public static async Task<SendResult> PostAsync(
        HttpClient http, HttpRequestMessage request, Func<HttpResponseMessage, string, SendResult?>? success, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ReadAtMostAsync(response.Content, MaxResponseBytes, cancellationToken);
            if (response.IsSuccessStatusCode)
                return success?.Invoke(response, body) ?? SendResult.Delivered;
            return Classify(response, body, time.GetUtcNow());
        }
        catch (HttpRequestException ex)
        {
            return SendResult.Transient($"HTTP request to {request.RequestUri?.Host} failed: {ex.Message}");
        }
        catch (IOException ex)
        {
            return SendResult.Transient($"HTTP answer from {request.RequestUri?.Host} broke off: {ex.Message}");
        }
    }

    /// <summary>429, 408 and 5xx are worth retrying; every other 4xx fails the delivery with the receiver's reason.</summary>
    public static SendResult Classify(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var reason = $"HTTP {status}{(string.IsNullOrWhiteSpace(body) ? "" : ": " + Shorten(body.Trim()))}";
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return SendResult.Transient(reason, RetryAfter(response, body, now) ?? TimeSpan.FromSeconds(1));
        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            return SendResult.Transient(reason, RetryAfter(response, body, now));
        return SendResult.Permanent(reason);
    }

    /// <summary>At most <paramref name="limit"/> characters of a text for an error reason, never cutting a surrogate pair.</summary>
    public static string Shorten(string text, int limit = MaxReasonLength)
    {
        if (text.Length <= limit) return text;
        var cut = limit - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut] + "…";
    }

    /// <summary>
    /// The first <paramref name="limit"/> bytes of the answer as text; the rest is never read. The buffer is pooled:
    /// a new one per send was the largest single allocation of a delivered request (4 KB of about 60).
    /// </summary>
    private static async Task<string> ReadAtMostAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength == 0) return "";
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var read = 0;
            while (read < limit && await stream.ReadAsync(buffer.AsMemory(read, limit - read), cancellationToken) is > 0 and var count)
                read += count;
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The longer of the <c>Retry-After</c> header and a JSON answer's <c>retry_after</c> (Discord's, in seconds, often fractional).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? asked = header?.Delta is { } delta ? delta
            : header?.Date is { } date ? (date - now is { Ticks: > 0 } wait ? wait : TimeSpan.Zero)
            : null;
        return BodyRetryAfter(body) is { } fromBody && (asked is null || fromBody > asked) ? fromBody : asked;
    }

    /// <summary>
    /// <c>retry_after</c> of a JSON object, rounded up to a whole millisecond so that the wait is never shorter than
    /// asked, and at most what a <c>Retry-After</c> header can say (int.MaxValue seconds).
    /// </summary>
    private static TimeSpan? BodyRetryAfter(string body)
    {
        if (!body.Contains("\"retry_after\"", StringComparison.Ordinal)) return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("retry_after", out var value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds > 0 && double.IsFinite(seconds))
                return TimeSpan.FromMilliseconds(Math.Ceiling(Math.Min(seconds, int.MaxValue) * 1000));
        }
        catch (JsonException)
        {
            // Not JSON, or cut at MaxResponseBytes: the header alone decides.
        }
        return null;
    }
}
