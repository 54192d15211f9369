using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssistanceRouter.Api.Hosting;

/// <summary>The API's own services: problem details for every error, JSON, API keys.</summary>
public static class ApiServices
{
    public static WebApplicationBuilder AddApiServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddErrorHandling();
        builder.AddApiJson();
        services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        // The submit handler counts what it accepts; without this a client-mode node (no silo to register it) took the
        // handler's DeliveryMetrics parameter for the request body, and every submission read as an empty body.
        services.AddDeliveryMetrics();
        // The ids the submit handler mints: a co-hosted silo takes them at the request's first activation (no read).
        services.TryAddSingleton<NewRequestIds>();
        builder.AddRequestLogging();
        builder.AddRateLimits();
        // The API counts what it accepts, in client mode too: unregistered, the submit handler would bind it from the body.
        services.AddDeliveryMetrics();
        return builder;
    }
}
