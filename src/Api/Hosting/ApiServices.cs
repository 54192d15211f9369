using System.Text.Json.Serialization;
using AssistanceRouter.Grains.Hosting;
using Orleans.Dashboard;

namespace AssistanceRouter.Api.Hosting;

public static class ApiServices
{
    /// <summary>The seed service's address; <c>--urls</c> or <c>ASPNETCORE_URLS</c> override it.</summary>
    public const string DefaultUrl = "http://localhost:8000";

    public static WebApplicationBuilder AddApiServices(this WebApplicationBuilder builder)
    {
        if (new[] { "urls", "http_ports", "https_ports" }.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
            builder.WebHost.UseUrls(DefaultUrl);

        var services = builder.Services;
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= DefaultDetail(context.ProblemDetails.Status, context.HttpContext));
        services.AddExceptionHandler<ClusterExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "AssistanceRouter", Version = "v1", Description = "Routes a customer's call for help to the people who can take it." });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "AssistanceRouter.Api.xml"));
        });
        services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));

        services.AddAssistanceRouterHealthChecks(builder.Configuration);
        services.AddDeliveryMetrics();
        return builder;
    }

    public static WebApplication UseApiPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseSwagger();
        foreach (var prefix in new[] { "docs", "swagger" })
            app.UseSwaggerUI(o =>
            {
                o.RoutePrefix = prefix;
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "AssistanceRouter v1");
                o.DocumentTitle = "AssistanceRouter API";
            });
        return app;
    }

    /// <summary>Dashboard and health endpoints, kept out of the API document.</summary>
    public static WebApplication MapOperationsEndpoints(this WebApplication app)
    {
        app.MapOrleansDashboard(routePrefix: "/dashboard").ExcludeFromDescription();
        app.MapAssistanceRouterHealth();
        app.MapDeliveryMetrics();
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        // The benchmark's ceiling: the same pipeline answering 202 without storing anything. Off unless asked for.
        if (app.Configuration.GetValue<bool>("Benchmark:BareEndpoint"))
            app.MapPost("/benchmark/bare", () => TypedResults.Accepted("/benchmark/bare")).ExcludeFromDescription();
        return app;
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
