namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Headers every answer carries, so that no page (dashboard, docs, later the inbox) can be framed, sniffed into another
/// type, or made to run script from elsewhere. The policy allows what those pages use: their own scripts, styles and
/// fonts, inline style attributes (the dashboard's and Swagger UI's), and data: images (Swagger UI's icons).
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate it
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        return app;
    }
}
