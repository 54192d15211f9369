using System.Net;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>How an HTTP receiver's answer maps to a delivery outcome, shared by the HTTP-based senders.</summary>
public static class HttpDelivery
{
    /// <summary>Longest body text kept as an error reason.</summary>
    private const int MaxReasonLength = 200;

    public static async Task<SendResult> PostAsync(HttpClient http, HttpRequestMessage request, Func<HttpResponseMessage, string, SendResult?>? success, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
                return success?.Invoke(response, body) ?? SendResult.Delivered;
            return Classify(response, body);
        }
        catch (HttpRequestException ex)
        {
            return SendResult.Transient($"HTTP request failed: {ex.Message}");
        }
    }

    /// <summary>429, 408 and 5xx are worth retrying; every other 4xx fails the delivery with the receiver's reason.</summary>
    public static SendResult Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var reason = $"HTTP {status}{(string.IsNullOrWhiteSpace(body) ? "" : ": " + Shorten(body.Trim()))}";
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return SendResult.Transient(reason, RetryAfter(response) ?? TimeSpan.FromSeconds(1));
        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            return SendResult.Transient(reason, RetryAfter(response));
        return SendResult.Permanent(reason);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero;
        return null;
    }

    private static string Shorten(string text) => text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "…";
}
