using AssistanceRouter.ServiceDefaults;

namespace AssistanceRouter.Silo;

/// <summary>
/// A silo of the cluster: grains, Redis for membership, state and reminders, and on its own HTTP port the Orleans
/// Dashboard, health and metrics endpoints (default http://localhost:8081; <c>--urls</c> for another).
/// A named class rather than top-level statements, so that its entry point does not clash with the API's
/// <c>Program</c> where both assemblies sit side by side (the chaos run, the tests).
/// </summary>
public static class SiloProgram
{
    public const string DefaultUrl = "http://localhost:8081";

    public static int Main(string[] args)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args);

            if (new[] { "urls", "http_ports", "https_ports" }.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
                builder.WebHost.UseUrls(DefaultUrl);
            builder.AddAssistanceRouterSilo();
            builder.AddServiceDefaults();

            var app = builder.Build();
            app.CheckConfiguration();

            app.MapDefaultEndpoints();

            app.Run();
            return 0;
        }
        catch (Exception exception) when (ConfigurationErrors.Describe(exception) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return ConfigurationErrors.ExitCode;
        }
    }
}
