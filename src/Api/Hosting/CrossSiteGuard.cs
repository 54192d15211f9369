using AssistanceRouter.Grains.Links;
using AssistanceRouter.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// A page on another site, opened in a browser that reaches the API, must not change anything: a browser sends a
/// <c>no-cors</c> fetch or a form post across sites without asking anyone. So every state-changing endpoint refuses
/// a request a browser says came from another site (<c>Sec-Fetch-Site</c>, else a foreign <c>Origin</c>) unless it
/// carries a valid API key (which no page can add without a CORS preflight, and none is answered), and wants
/// <c>Content-Type: application/json</c> even when it takes no body: no form, and no fetch without a preflight, can
/// send that. Programs (bots, curl) send neither header and keep working. An endpoint with a check of its own opts
/// out with <see cref="SkipCrossSiteGuard"/>.
/// </summary>
public static class CrossSiteGuard
{
    public const string ContentTypeDetail =
        "Send Content-Type: application/json, also when there is no body (curl: -H 'Content-Type: application/json', or --json '{}').";

    public static IApplicationBuilder UseCrossSiteGuard(this IApplicationBuilder app)
    {
        var keys = app.ApplicationServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Keys.Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        app.Use(async (context, next) =>
        {
            if (Refusal(context, keys) is { } refusal)
            {
                await ProblemAnswers.WriteAsync(context, refusal.Status, refusal.Title, refusal.Detail);
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>Leaves the endpoint to its own check of who sent it, named in <paramref name="because"/>.</summary>
    public static TBuilder SkipCrossSiteGuard<TBuilder>(this TBuilder builder, string because) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CrossSiteGuardSkipped(because));

    private static (int Status, string Title, string Detail)? Refusal(HttpContext context, HashSet<string> keys)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return null;
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<CrossSiteGuardSkipped>() is not null) return null;
        var keyed = request.Headers[ApiKeyMiddleware.Header] is [{ } key] && keys.Contains(key);
        if (!keyed && CrossSite(request, context.RequestServices.GetRequiredService<TakeLinks>().PublicUrl) is { } from)
            return (StatusCodes.Status403Forbidden, "Cross-site request refused",
                $"A page on another site ({from}) may not change anything here; programs send no Origin, or an {ApiKeyMiddleware.Header}.");
        // Only a route that takes this method: no route stays a 404, a wrong method a 405 (routing's own 415 stays too).
        if (endpoint?.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods && methods.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)
            && !HttpMethods.IsDelete(request.Method) && !request.HasJsonContentType() && !FromThisNodesPageWithoutBody(request))
            return (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", ContentTypeDetail);
        return null;
    }

    /// <summary>
    /// Swagger UI's "Try it out" sends a bodiless POST (pause, retry) with no content type. The browser vouches with
    /// <c>Sec-Fetch-Site: same-origin</c>, which no page can set, that this node's own page sent it.
    /// </summary>
    private static bool FromThisNodesPageWithoutBody(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"] == "same-origin" && request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding");

    /// <summary>Where a browser says the request came from, when that is not this site; null for programs and this site's own pages.</summary>
    private static string? CrossSite(HttpRequest request, Uri? publicUrl)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site") return $"Sec-Fetch-Site: {site}";
        if (site is "same-origin" or "none") return null;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        // A proxy that ends TLS changes the scheme, and may change the host: this host and port, or Api:PublicUrl's, match.
        return Uri.TryCreate(origin, UriKind.Absolute, out var url)
            && (string.Equals(url.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(url.Authority, publicUrl?.Authority, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"Origin: {(origin.Length <= 100 ? origin : origin[..100] + "…")}";
    }
}
