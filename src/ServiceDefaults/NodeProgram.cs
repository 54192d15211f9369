using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// What the API's and the silo's <c>Main</c> share: a default address, the configuration check before anything starts,
/// and for a wrong setting the one line an operator needs and exit code 1; any other failure still crashes loudly.
/// </summary>
public static class NodeProgram
{
    /// <summary>The settings that name a node's addresses: <c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, ….</summary>
    private static readonly string[] AddressKeys = ["urls", "http_ports", "https_ports"];

    public static int Run(string[] args, string defaultUrl, Action<WebApplicationBuilder> addServices, Action<WebApplication> mapEndpoints)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            if (AddressKeys.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
                builder.WebHost.UseUrls(defaultUrl);
            addServices(builder);

            var app = builder.Build();
            app.CheckConfiguration();
            mapEndpoints(app);

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
