using Microsoft.Extensions.Http.Logging;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Logs each send at Debug by host, status and time: HttpClient's own logs print the whole URL, which is the secret.</summary>
public sealed partial class HostOnlyHttpLogger(ILogger<HostOnlyHttpLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Answered(request.Method.Method, request.RequestUri?.Host, (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Failed(request.Method.Method, request.RequestUri?.Host, exception.GetType().Name, elapsed.TotalMilliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} to {Host} answered {Status} in {ElapsedMs:0.#} ms")]
    private partial void Answered(string method, string? host, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} to {Host} failed ({Error}) after {ElapsedMs:0.#} ms")]
    private partial void Failed(string method, string? host, string error, double elapsedMs);
}
