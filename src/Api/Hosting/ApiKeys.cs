using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary><c>Api:Keys</c>: when any is set, every endpoint but health, docs and metrics needs one in <c>X-Api-Key</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Api";

    public List<string> Keys { get; set; } = [];
}

public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options, IProblemDetailsService problems)
{
    public const string Header = "X-Api-Key";

    private static readonly string[] OpenPrefixes = ["/health", "/docs", "/swagger", "/metrics"];

    private readonly HashSet<string> keys = options.Value.Keys.Where(k => !string.IsNullOrEmpty(k)).ToHashSet(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (keys.Count == 0 || OpenPrefixes.Any(p => context.Request.Path.StartsWithSegments(p))
            || (context.Request.Headers[Header] is [{ } key] && keys.Contains(key)))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = $"Send a valid API key in the {Header} header." },
        });
    }
}
