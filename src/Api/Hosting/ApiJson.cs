using AssistanceRouter.Grains.Hosting;

namespace AssistanceRouter.Api.Hosting;

/// <summary>The API's JSON, read and written (and described in the API document) as <see cref="WireJson"/> configures it.</summary>
public static class ApiJson
{
    public static WebApplicationBuilder AddApiJson(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
        return builder;
    }
}
