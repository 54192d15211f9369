using AssistanceRouter.Api.Hosting;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.Antiforgery;

namespace AssistanceRouter.Api.Pages;

/// <summary>
/// Anti-forgery for the pages' POSTs (ASP.NET Core's: a cookie and a matching token in the form or in the
/// <c>RequestVerificationToken</c> header), checked by the handlers themselves rather than by form binding.
/// </summary>
public static class Forms
{
    public const string TokenField = "__RequestVerificationToken";
    public const string TokenHeader = "RequestVerificationToken";

    /// <summary>The form's hidden token field (and the cookie that goes with it on the response).</summary>
    public static string TokenInput(HttpContext context) =>
        $"""<input type="hidden" name="{TokenField}" value="{Html.Text(Token(context))}">""";

    public static string Token(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!;

    public static Task<bool> IsValidAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);

    /// <summary>Requires a valid token on every request through the endpoint: a 400 problem otherwise.</summary>
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.SkipCrossSiteGuard("it wants the page's anti-forgery token").AddEndpointFilter(async (context, next) =>
            await IsValidAsync(context.HttpContext)
                ? await next(context)
                : ProblemAnswers.Problem(StatusCodes.Status400BadRequest, "Missing anti-forgery token",
                    $"Send the page's token in the {TokenHeader} header; reload the page if it is old."));
}
