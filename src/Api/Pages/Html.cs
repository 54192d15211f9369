using System.Text.Encodings.Web;

namespace AssistanceRouter.Api.Pages;

/// <summary>
/// The pages people open in a browser, written on the server as plain HTML. Every piece of text from outside goes
/// through <see cref="Text"/>; scripts and styles are files under <c>/assets/</c>, so that a strict content security
/// policy (no inline script or style) holds.
/// </summary>
public static class Html
{
    public static string Text(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole page: <paramref name="body"/> is HTML already encoded by its maker.</summary>
    public static string Page(string title, string body, string? bodyClass = null, string[]? scripts = null, string? head = null) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta name="robots" content="noindex, nofollow">
        <title>{Text(title)}</title>
        <link rel="icon" href="{Assets.Path("icon.svg")}" type="image/svg+xml">
        <link rel="stylesheet" href="{Assets.Path("site.css")}">
        {string.Concat((scripts ?? []).Select(s => $"""<script src="{Assets.Path(s)}" defer></script>"""))}
        {head ?? ""}
        </head>
        <body class="{Text(bodyClass)}">
        {body}
        </body>
        </html>
        """;

    /// <summary>An HTML answer that no cache keeps and that sends no Referer onward (link pages carry a credential in their URL).</summary>
    public static IResult Result(string html, int status = StatusCodes.Status200OK) => new PageResult(html, status);

    /// <summary>A relative time in words, as people say it: "12 s", "5 min", "2 h 5 min", "3 d".</summary>
    public static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{(int)age.TotalDays} d"
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes} min"
        : $"{Math.Max(0, (int)age.TotalSeconds)} s";

    /// <summary>A moment as a <c>time</c> element: UTC on the server, the reader's own time zone once the page's script ran.</summary>
    public static string Time(DateTimeOffset at) =>
        $"""<time datetime="{at.UtcDateTime:O}">{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC</time>""";

    /// <summary>303 See Other: after a form's POST the browser GETs <paramref name="url"/>, so a refresh never posts again.</summary>
    public static IResult SeeOther(string url) => new SeeOtherResult(url);

    private sealed class SeeOtherResult(string url) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status303SeeOther;

        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = url;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }
    }

    private sealed class PageResult(string html, int status) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        public int? StatusCode => status;

        public string ContentType => "text/html; charset=utf-8";

        public Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-store";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers["X-Robots-Tag"] = "noindex, nofollow";
            var bytes = System.Text.Encoding.UTF8.GetBytes(html);
            response.ContentLength = bytes.Length;
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(bytes).AsTask();
        }
    }
}
