using AssistanceRouter.ServiceDefaults;

namespace AssistanceRouter.Silo;

/// <summary>
/// A silo of the cluster: grains, Redis for membership, state and reminders, and on its own HTTP port the Orleans
/// Dashboard, health and metrics endpoints. In a namespace, so that it does not clash with the API's <c>Program</c>
/// where both assemblies sit side by side (the chaos run, the tests).
/// </summary>
public static class Program
{
    /// <summary><c>--urls</c> or <c>ASPNETCORE_URLS</c> override it.</summary>
    public const string DefaultUrl = "http://localhost:8081";

    public static int Main(string[] args) => NodeProgram.Run(args, DefaultUrl,
        builder =>
        {
            builder.AddAssistanceRouterSilo();
            builder.AddServiceDefaults();
        },
        app => app.MapDefaultEndpoints());
}
