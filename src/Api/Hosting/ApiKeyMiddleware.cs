using AssistanceRouter.Api.SignIn;
using AssistanceRouter.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary>Checks every request's key (<see cref="ApiKeyOptions"/>); the pages a browser opens take a sign-in cookie instead.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiKeyOptions> options, SignInThrottle throttle)
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
        if (keys.Count == 0 || OpenPrefixes.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            await next(context);
            return;
        }
        if (context.Request.Headers[Header] is [{ } key, ..])
        {
            // A key is only checked when its client is not waiting after wrong ones: a right guess then says nothing.
            var client = SignInThrottle.Client(context);
            if (throttle.Wait(client) is { } wait)
            {
                throttle.Refused(client, Header, wait);
                await TooManyAsync(context, wait);
                return;
            }
            if (context.Request.Headers[Header].Count == 1 && keys.Contains(key))
            {
                throttle.Succeeded(client);
                await next(context);
                return;
            }
            throttle.Failed(client, Header);
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

    /// <summary>The 429 of a client that sent too many wrong keys: when it may try again, in <c>Retry-After</c>.</summary>
    public static Task TooManyAsync(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProblemAnswers.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many wrong keys",
            $"This address sent too many wrong API keys in a row; try again in {seconds} s.");
    }
}
