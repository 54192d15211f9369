using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// State and queue payloads that main wrote before issue 22 renamed the stored types (<c>TestData/StoredShapes.json</c>,
/// captured once from <see cref="StoredShapes"/> with main's types) still read, field for field, with today's types.
/// </summary>
public sealed class StoredShapesTests : IDisposable
{
    private static readonly JsonSerializerOptions Rendering = new() { WriteIndented = true };
    private static readonly Dictionary<string, string> Golden = JsonSerializer.Deserialize<Dictionary<string, string>>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Storage", "TestData", "StoredShapes.json")))!;

    private readonly Microsoft.Extensions.Hosting.IHost silo = StoredShapes.SiloServices();

    public void Dispose() => silo.Dispose();

    [Fact]
    public void A_request_state_main_wrote_reads_field_for_field_and_is_written_again_byte_for_byte()
    {
        var bytes = Convert.FromBase64String(Golden["assistanceRequestState"]);

        var read = silo.StateSerializer().Deserialize<AssistanceRequestState>(new BinaryData(bytes));

        AssertSame(StoredShapes.State(), read);
        // The same bytes again: the fields added since (NextStep [Id(21)], MessageAddresses [Id(40)]) are null here, and
        // a null member is not written ([OmitDefaultMemberValues]); a silo of main skips them as unknown when they are set.
        Assert.Equal(bytes, silo.StateSerializer().Serialize(read).ToArray());
    }

    [Fact]
    public void A_request_state_stored_as_JSON_by_the_first_versions_reads_field_for_field()
    {
        var read = silo.StateSerializer().Deserialize<AssistanceRequestState>(BinaryData.FromString(Golden["assistanceRequestStateAsLegacyJson"]));

        AssertSame(StoredShapes.JsonEraState(), read);
    }

    [Fact]
    public void A_queued_notice_main_wrote_reads_field_for_field_and_is_written_again_byte_for_byte()
    {
        var bytes = Convert.FromBase64String(Golden["queuedNotice"]);

        var read = silo.Serializer().Deserialize<Notice>(bytes);

        AssertSame(StoredShapes.QueuedNotice(), read);
        Assert.Equal(bytes, silo.Serializer().SerializeToArray(read));
    }

    [Fact]
    public void A_channel_state_main_wrote_reads()
    {
        var read = silo.StateSerializer().Deserialize<ChannelState>(new BinaryData(Convert.FromBase64String(Golden["channelState"])));

        Assert.True(read!.Paused);
    }

    /// <summary>Every public property, nested ones included, as JSON: a field that did not read differs from the sample's.</summary>
    private static void AssertSame<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, Rendering), JsonSerializer.Serialize(actual, Rendering));
}
