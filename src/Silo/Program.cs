using AssistanceRouter.Grains.Hosting;
using Orleans.Dashboard;

namespace AssistanceRouter.Silo;

/// <summary>
/// A silo of the cluster: grains, Redis for membership, state and reminders, and on its own HTTP port the Orleans
/// Dashboard, health and metrics endpoints (default http://localhost:8081; <c>--urls</c> for another).
/// A named class rather than top-level statements, so that its entry point does not clash with the API's
/// <c>Program</c> where both assemblies sit side by side (the chaos run, the tests).
/// </summary>
public static class SiloProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls("http://localhost:8081");
        builder.AddAssistanceRouterSilo();
        builder.Services.AddAssistanceRouterHealthChecks(builder.Configuration);

        var app = builder.Build();

        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapAssistanceRouterHealth();
        app.MapDeliveryMetrics();

        app.Run();
    }
}
