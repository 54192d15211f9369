using System.Text.Json;
using System.Text.Json.Serialization;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>
/// The JSON that readers outside the cluster see, configured once: the API's answers and bodies, the events to the bot,
/// and (read from the API's options) the OpenAPI document. Enums are written by name, as the contract writes them: the
/// C# name, or the enum member's <see cref="JsonStringEnumMemberNameAttribute"/> where the contract says otherwise
/// (<c>via</c> is lower case). Each property of a body may appear once.
/// </summary>
public static class WireJson
{
    /// <summary>The configuration for writing and reading on its own (events, tests): web defaults, then <see cref="Configure"/>.</summary>
    public static JsonSerializerOptions Options { get; } = Frozen();

    /// <summary>Applies the configuration to <paramref name="options"/> (the API's HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        // With "last one wins" a body could say one thing to a proxy or log and another to us.
        options.AllowDuplicateProperties = false;
        return options;
    }

    private static JsonSerializerOptions Frozen()
    {
        var options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
