namespace AssistanceRouter.Api.Hosting;

/// <summary>API keys (<see cref="ApiKeyOptions"/>), checked after the rate limits, so that guessing keys is limited too.</summary>
public static class ApiKeys
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        return builder;
    }

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();
}
