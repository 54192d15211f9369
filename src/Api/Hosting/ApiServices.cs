using System.Text.Json.Serialization;
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
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= DefaultDetail(context.ProblemDetails.Status, context.HttpContext));
        services.AddExceptionHandler<ClusterExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.ConfigureHttpJsonOptions(o => JsonBody.Configure(o.SerializerOptions));
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

    /// <summary>A useful detail for the problems the framework writes itself (no route, wrong method, wrong content type).</summary>
    private static string? DefaultDetail(int? status, HttpContext context) => status switch
    {
        StatusCodes.Status404NotFound => $"Nothing is at {context.Request.Path}; the API is described at /docs.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}; the API is described at /docs.",
        StatusCodes.Status415UnsupportedMediaType => $"Send the body as application/json, not '{context.Request.ContentType ?? "no content type"}'.",
        _ => null,
    };
}
