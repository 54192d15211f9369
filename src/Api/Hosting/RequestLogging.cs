using Microsoft.AspNetCore.HttpLogging;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// One log line per request (method, path, status, time) that never holds a secret: no query string, and a link's
/// token in <c>/take/{token}</c> replaced. ASP.NET Core's own request lines (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>)
/// print the whole URL with its query, and route matching prints the path at Debug, so those are kept off whatever the
/// configuration says (a rule made here comes after the configuration's, and wins).
/// </summary>
public static class RequestLogging
{
    /// <summary>Paths whose last segment is a credential (the links of notices).</summary>
    private static readonly PathString[] TokenPaths = ["/take"];

    public static WebApplicationBuilder AddRequestLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // These print the request path at Debug and Trace (route matching, static files).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.StaticFiles", LogLevel.Information);
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        builder.Services.AddHttpLoggingInterceptor<TokenRedactor>();
        return builder;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseHttpLogging();

    /// <summary>The request's path as logs may show it.</summary>
    public static string SafePath(PathString path)
    {
        foreach (var prefix in TokenPaths)
            if (path.StartsWithSegments(prefix)) return prefix + "/…";
        return path.Value ?? "";
    }

    private sealed class TokenRedactor : IHttpLoggingInterceptor
    {
        public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logging)
        {
            var path = logging.HttpContext.Request.Path;
            if (SafePath(path) != path.Value && logging.TryDisable(HttpLoggingFields.RequestPath))
                logging.AddParameter("Path", SafePath(path));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logging) => ValueTask.CompletedTask;
    }
}
