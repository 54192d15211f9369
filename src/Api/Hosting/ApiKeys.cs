using AssistanceRouter.Api.SignIn;
using AssistanceRouter.Grains.Hosting;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// API keys (<see cref="ApiKeyOptions"/>, at least 32 characters each), checked after the rate limits, and a wrong one
/// slows its client down (<see cref="SignInThrottle"/>), so that guessing keys is limited twice.
/// </summary>
public static class ApiKeys
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ApiKeyOptions, ApiKeyOptionsValidator>(ApiKeyOptions.Section);
        builder.Services.AddSingleton<SignInThrottle>();
        return builder;
    }

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();
}
