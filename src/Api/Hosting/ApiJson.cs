using System.Text.Json.Serialization;

namespace AssistanceRouter.Api.Hosting;

/// <summary>The API's JSON, read and written: enums by name, and each property of a body once (<see cref="JsonBody"/>).</summary>
public static class ApiJson
{
    public static WebApplicationBuilder AddApiJson(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // With "last one wins" a body could say one thing to a proxy or log and another to us.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        return builder;
    }
}
