using AssistanceRouter.ServiceDefaults;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Every error a problem+json answer (<see cref="ProblemAnswers"/>): the cluster's passing faults a 503
/// (<see cref="ClusterExceptionHandler"/>), any other fault a 500, and the framework's own refusals (no route, wrong
/// method, wrong content type) with a detail that says what to do.
/// </summary>
public static class ErrorHandling
{
    public static WebApplicationBuilder AddErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClusterExceptionHandler>();
        return builder;
    }

    public static IApplicationBuilder UseErrorHandling(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ProblemAnswers.WriteAsync(context, StatusCodes.Status500InternalServerError, title: null, detail: null),
        });
        app.UseStatusCodePages(pages =>
        {
            var context = pages.HttpContext;
            return ProblemAnswers.WriteAsync(context, context.Response.StatusCode, title: null, DefaultDetail(context));
        });
        return app;
    }

    /// <summary>A useful detail for the refusals the framework makes itself, which come with none.</summary>
    private static string? DefaultDetail(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"Nothing is at {context.Request.Path}; the API is described at /docs.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}; the API is described at /docs.",
        StatusCodes.Status415UnsupportedMediaType => $"Send the body as application/json, not '{context.Request.ContentType ?? "no content type"}'.",
        _ => null,
    };
}
