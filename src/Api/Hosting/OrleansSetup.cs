using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.ServiceDefaults;

namespace AssistanceRouter.Api.Hosting;

public static class OrleansSetup
{
    /// <summary><c>Orleans:Mode</c>: a silo in this process (the default), or a client of a cluster found through Redis.</summary>
    public static WebApplicationBuilder AddOrleans(this WebApplicationBuilder builder)
    {
        if (AssistanceRouterHosting.HostingOptions(builder.Configuration).Mode == HostingMode.Client)
            builder.AddAssistanceRouterClient();
        else
            builder.AddAssistanceRouterSilo();
        return builder;
    }
}
