using Microsoft.AspNetCore.Diagnostics;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Faults the client did not cause and that may pass (a silo or Redis unreachable, a call timing out) answer
/// <c>503</c> with <c>Retry-After</c>, so that a bot retries instead of taking a 500 as final.
/// </summary>
public sealed partial class ClusterExceptionHandler(IProblemDetailsService problems, ILogger<ClusterExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
            return await Write(context, bad.StatusCode, "Bad request", bad.Message, exception);
        if (exception is OrleansException or TimeoutException or SiloUnavailableException or Orleans.Storage.InconsistentStateException
            || exception.GetType().FullName?.StartsWith("StackExchange.Redis.", StringComparison.Ordinal) == true)
        {
            LogClusterFault(exception, context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = "1";
            return await Write(context, StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable",
                "The cluster or its storage did not answer in time; nothing was lost. Retry the request (with the same Idempotency-Key).", exception);
        }
        return false;
    }

    private async ValueTask<bool> Write(HttpContext context, int status, string title, string detail, Exception exception)
    {
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new()
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster fault while handling {Method} {Path}")]
    private partial void LogClusterFault(Exception exception, string method, PathString path);
}
