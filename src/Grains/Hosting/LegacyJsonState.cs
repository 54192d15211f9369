using System.Text.RegularExpressions;
using AssistanceRouter.Grains.AssistanceRequests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using Orleans.Serialization;
using Orleans.Storage;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>
/// Reads grain state that the first versions stored as JSON (Orleans' Newtonsoft default, with a CLR type name on
/// every object) before state went binary. The names of stored types renamed since are read as today's types:
/// <c>AttemptView</c> was in that state; the others are here so that any state main could read as JSON still reads.
/// </summary>
internal static partial class LegacyJsonState
{
    private static readonly Dictionary<string, string> Renamed = new()
    {
        ["AssistanceRouter.Grains.AssistanceRequests.AttemptView"] = typeof(AttemptRecord).FullName!,
        ["AssistanceRouter.Grains.AssistanceRequests.AcknowledgementView"] = typeof(Acknowledgement).FullName!,
        ["AssistanceRouter.Grains.AssistanceRequests.ResolutionView"] = typeof(Resolution).FullName!,
        ["AssistanceRouter.Grains.AssistanceRequests.HistoryEntry"] = typeof(HistoryRecord).FullName!,
    };

    /// <summary>Orleans' JSON state serializer, as the silo configures it, reading renamed types by their new names.</summary>
    public static IGrainStorageSerializer Reader(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<OrleansJsonSerializerOptions>>().Value.JsonSerializerSettings;
        var settings = new JsonSerializerSettings(configured) { SerializationBinder = new RenamedTypes(configured.SerializationBinder!) };
        return new JsonGrainStorageSerializer(new OrleansJsonSerializer(Options.Create(new OrleansJsonSerializerOptions { JsonSerializerSettings = settings })));
    }

    /// <summary>Every full type name in <paramref name="typeName"/> (generic arguments too) that was renamed, replaced by the new one.</summary>
    public static string Rename(string typeName) => TypeNames().Replace(typeName, m => Renamed.GetValueOrDefault(m.Value, m.Value));

    [GeneratedRegex(@"AssistanceRouter\.Grains(\.\w+)+")]
    private static partial Regex TypeNames();

    private sealed class RenamedTypes(ISerializationBinder inner) : ISerializationBinder
    {
        public Type BindToType(string? assemblyName, string typeName) => inner.BindToType(assemblyName, Rename(typeName));

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
            inner.BindToName(serializedType, out assemblyName, out typeName);
    }
}
