using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Faults the client did not cause and that may pass (a silo or Redis unreachable, a call timing out) answer
/// <c>503</c> with <c>Retry-After</c>, so that a bot retries instead of taking a 500 as final.
/// </summary>
public sealed partial class ClusterExceptionHandler(ILogger<ClusterExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            await ProblemAnswers.WriteAsync(context, bad.StatusCode, "Bad request", bad.Message);
            return true;
        }
        if (!IsPassingFault(exception)) return false;
        LogClusterFault(exception, context.Request.Method, RequestLogging.SafePath(context.Request.Path));
        context.Response.Headers.RetryAfter = "1";
        await ProblemAnswers.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable",
            "The cluster or its storage did not answer in time; nothing was lost. Retry the request (with the same Idempotency-Key).");
        return true;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster fault while handling {Method} {Path}")]
    private partial void LogClusterFault(Exception exception, string method, string path);
}
