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
        if (IsPassingFault(exception))
        {
            LogClusterFault(exception, context.Request.Method, RequestLogging.SafePath(context.Request.Path));
            context.Response.Headers.RetryAfter = "1";
            return await Write(context, StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable",
                "The cluster or its storage did not answer in time; nothing was lost. Retry the request (with the same Idempotency-Key).", exception);
        }
        return false;
    }

    /// <summary>
    /// The cluster, or the storage behind it, failing in a way that may pass: Orleans faults, timeouts, Redis, and
    /// SQLite or the disk (full, locked, failing), however deep inside another exception.
    /// </summary>
    public static bool IsPassingFault(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OrleansException or TimeoutException or SiloUnavailableException or Orleans.Storage.InconsistentStateException
                or Microsoft.Data.Sqlite.SqliteException or IOException)
                return true;
            var type = e.GetType().FullName ?? "";
            if (type.StartsWith("StackExchange.Redis.", StringComparison.Ordinal)) return true;
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
    private partial void LogClusterFault(Exception exception, string method, string path);
}
