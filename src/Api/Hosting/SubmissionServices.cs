using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// What the submit handler takes from the container beside the cluster. A co-hosted silo registers both too; a
/// client-mode node has no silo, so the API registers them itself.
/// </summary>
public static class SubmissionServices
{
    public static WebApplicationBuilder AddSubmissionServices(this WebApplicationBuilder builder)
    {
        // The API counts what it accepts; unregistered (client mode), the submit handler took its DeliveryMetrics
        // parameter for the request body, and every submission read as an empty body.
        builder.Services.AddDeliveryMetrics();
        // The ids the submit handler mints: a co-hosted silo takes them at the request's first activation (no read).
        builder.Services.TryAddSingleton<NewRequestIds>();
        return builder;
    }
}
