using AssistanceRouter.Api.SignIn;
using AssistanceRouter.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary>Checks every request's key (<see cref="ApiKeyOptions"/>); the pages a browser opens take a sign-in cookie instead.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options)
{
    public const string Header = "X-Api-Key";

    /// <summary>
    /// Link pages need no key (their token is the authority), nor the sign-in page and the pages' assets, nor Slack's
    /// button presses (Slack's signature is the authority there).
    /// </summary>
    private static readonly string[] OpenPrefixes = ["/health", "/docs", "/swagger", "/metrics", "/take", "/signin", "/assets", "/slack/interactions"];

    /// <summary>The pages a browser opens: a sign-in cookie stands in for the key there.</summary>
    private static readonly string[] BrowserPrefixes = ["/inbox", "/dashboard", "/signout"];

    private readonly HashSet<string> keys = options.Value.Keys.Where(k => !string.IsNullOrEmpty(k)).ToHashSet(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (keys.Count == 0 || OpenPrefixes.Any(p => context.Request.Path.StartsWithSegments(p))
            || (context.Request.Headers[Header] is [{ } key] && keys.Contains(key)))
        {
            await next(context);
            return;
        }
        if (BrowserPrefixes.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            if (await BrowserSignIn.IsSignedInAsync(context, keys))
            {
                await next(context);
                return;
            }
            if (await BrowserSignIn.TrySendToSignInAsync(context)) return;
        }
        await ProblemAnswers.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", $"Send a valid API key in the {Header} header.");
    }
}
