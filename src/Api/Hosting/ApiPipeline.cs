namespace AssistanceRouter.Api.Hosting;

/// <summary>What every request passes through before its endpoint.</summary>
public static class ApiPipeline
{
    public static WebApplication UseApiPipeline(this WebApplication app)
    {
        app.UseRequestLogging();
        app.UseSecurityHeaders();
        app.UseErrorHandling();
        app.UseRateLimits();
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }
}
