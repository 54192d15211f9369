namespace AssistanceRouter.Api.Hosting;

/// <summary>What every request passes through before its endpoint.</summary>
public static class ApiPipeline
{
    public static IApplicationBuilder UseApiPipeline(this IApplicationBuilder app)
    {
        app.UseRequestLogging();
        app.UseSecurityHeaders();
        app.UseErrorHandling();
        app.UseRateLimits();
        app.UseApiKeys();
        app.UseCrossSiteGuard();
        return app;
    }
}
