using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.SignIn;

/// <summary>
/// A browser cannot send <c>X-Api-Key</c>, so when API keys are set a person signs in once at <c>/signin</c> with a
/// key and gets a cookie (HttpOnly, SameSite=Strict, Secure on https) that opens the pages: <c>/inbox</c>,
/// <c>/dashboard</c>, <c>/docs</c>. The cookie holds a fingerprint of the key, not the key, protected by the cluster's
/// key ring; taking the key out of <c>Api:Keys</c> signs out every browser that used it.
/// </summary>
public static class BrowserSignIn
{
    public const string Scheme = "AssistanceRouter.SignIn";
    public const string CookieName = "AssistanceRouter.SignIn";
    public const string PagePath = "/signin";
    public const string SignOutPath = "/signout";
    public const string DefaultReturnUrl = "/inbox";

    private const string KeyClaim = "api-key";

    public static TimeSpan Lifetime { get; } = TimeSpan.FromDays(14);

    public static void ConfigureCookie(CookieAuthenticationOptions options, CookieSecurePolicy secure)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = secure;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = Lifetime;
        options.SlidingExpiration = true;
        options.LoginPath = PagePath;
    }

    public static IEndpointRouteBuilder MapBrowserSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, Show).ExcludeFromDescription();
        app.MapPost(PagePath, SignIn).ExcludeFromDescription().SkipCrossSiteGuard("its form carries an anti-forgery token");
        app.MapPost(SignOutPath, (Delegate)SignOut).ExcludeFromDescription().SkipCrossSiteGuard("its form carries an anti-forgery token");
        return app;
    }

    /// <summary>Whether the request carries a sign-in cookie made with a key that is still configured.</summary>
    public static async Task<bool> IsSignedInAsync(HttpContext context, IReadOnlyCollection<string> keys)
    {
        if (keys.Count == 0 || !context.Request.Cookies.ContainsKey(CookieName)) return false;
        var result = await context.AuthenticateAsync(Scheme);
        return result.Succeeded && result.Principal.FindFirst(KeyClaim)?.Value is { } fingerprint
            && keys.Any(k => Fingerprint(k) == fingerprint);
    }

    /// <summary>
    /// A browser asking for a page without a valid cookie goes to sign in. One that followed a link from another site
    /// (a chat message) sent no SameSite=Strict cookie even if it has one, so it first gets a page that reloads the same
    /// address from this site, which sends the cookie; only then, still without one, does it go to sign in.
    /// </summary>
    public static async Task<bool> TrySendToSignInAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal)) return false;
        var here = request.Path + request.QueryString;
        if (request.Headers["Sec-Fetch-Site"] == "cross-site")
        {
            await Html.Result(Html.Page("Opening… · AssistanceRouter", $"""
                <main class="narrow"><p class="brand">AssistanceRouter</p>
                <section class="card"><p><a class="button primary" href="{Html.Text(here)}">Continue</a></p></section></main>
                """, bodyClass: "plain", head: $"""<meta http-equiv="refresh" content="0; url={Html.Text(here)}">""")).ExecuteAsync(context);
            return true;
        }
        context.Response.Redirect($"{PagePath}?returnUrl={Uri.EscapeDataString(here)}");
        return true;
    }

    /// <summary>A local path to go back to after signing in; anything else (another site, a scheme) becomes the inbox.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] is not '/' and not '\\' && !url.Any(char.IsControl)
            ? url
            : DefaultReturnUrl;

    private static async Task<IResult> Show(HttpContext context, string? returnUrl, IOptions<ApiKeyOptions> options)
    {
        var keys = Keys(options);
        if (keys.Count == 0)
            return Html.Result(Page("""
                <h1>No sign-in needed</h1>
                <p>This service has no API keys (<code>Api__Keys__*</code> is unset), so its pages are open to anyone who reaches it.</p>
                <p><a class="button primary" href="/inbox">Open the inbox</a></p>
                """));
        if (await IsSignedInAsync(context, keys))
            return Html.Result(Page($"""
                <h1>You are signed in</h1>
                <p><a class="button primary" href="{Html.Text(SafeReturnUrl(returnUrl))}">Continue</a></p>
                {SignOutForm(context)}
                """));
        return Form(context, returnUrl, error: null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignIn(HttpContext context, IOptions<ApiKeyOptions> options, SignInThrottle throttle)
    {
        var keys = Keys(options);
        var client = SignInThrottle.Client(context);
        if (throttle.Wait(client) is { } wait)
        {
            throttle.Refused(client, PagePath, wait);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Form(context, null, $"Too many wrong keys from here: try again in {seconds} s.", StatusCodes.Status429TooManyRequests);
        }
        if (!await Forms.IsValidAsync(context))
            return Form(context, null, "The form had expired. Please sign in again.", StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        var given = form["key"].ToString().Trim();
        // Compared as hashes in constant time, so that the answer's timing says nothing about the keys.
        var givenHash = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var match = keys.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(givenHash, SHA256.HashData(Encoding.UTF8.GetBytes(k))));
        if (given.Length == 0 || match is null)
        {
            if (keys.Count > 0) throttle.Failed(client, PagePath);
            return Form(context, returnUrl, keys.Count == 0 ? "This service has no API keys: no sign-in is needed." : "That is not one of this service's API keys.",
                StatusCodes.Status401Unauthorized);
        }
        throttle.Succeeded(client);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KeyClaim, Fingerprint(match))], Scheme));
        await context.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = true });
        return TypedResults.Redirect(SafeReturnUrl(returnUrl));
    }

    private static async Task<IResult> SignOut(HttpContext context)
    {
        if (!await Forms.IsValidAsync(context))
            return Html.Result(Page("<h1>Not signed out</h1><p>The page had expired. <a href=\"/signin\">Try again</a>.</p>"), StatusCodes.Status400BadRequest);
        await context.SignOutAsync(Scheme);
        return TypedResults.Redirect(PagePath);
    }

    public static string SignOutForm(HttpContext context) => $"""
        <form method="post" action="{SignOutPath}" class="inline">{Forms.TokenInput(context)}<button type="submit" class="quiet">Sign out</button></form>
        """;

    private static IResult Form(HttpContext context, string? returnUrl, string? error, int status) => Html.Result(Page($"""
        <h1>Sign in</h1>
        <p>Paste one of this service's API keys (<code>Api__Keys__*</code>). It is checked once; the browser then keeps a
        sign-in cookie for {Lifetime.TotalDays:0} days, never the key.</p>
        {(error is null ? "" : $"""<p class="notice error" role="alert">{Html.Text(error)}</p>""")}
        <form method="post" action="{PagePath}" class="stack">
          {Forms.TokenInput(context)}
          <input type="hidden" name="returnUrl" value="{Html.Text(SafeReturnUrl(returnUrl))}">
          <label>API key <input type="password" name="key" autocomplete="current-password" required autofocus></label>
          <button type="submit" class="primary">Sign in</button>
        </form>
        """), status);

    private static string Page(string content) => Html.Page("Sign in · AssistanceRouter", $"""
        <main class="narrow">
        <p class="brand">AssistanceRouter</p>
        <section class="card">
        {content}
        </section>
        </main>
        """, bodyClass: "plain");

    private static IReadOnlyCollection<string> Keys(IOptions<ApiKeyOptions> options) =>
        [.. options.Value.Keys.Where(k => !string.IsNullOrEmpty(k))];

    /// <summary>Names a key without revealing it: the first 16 hex digits of its SHA-256.</summary>
    private static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
}
