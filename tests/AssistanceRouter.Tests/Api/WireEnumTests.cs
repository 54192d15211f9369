using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Tests.Api;

/// <summary>
/// Enum values on the wire as the contract writes them, from one configuration (<see cref="WireJson"/>) that the
/// API's answers, the events' bodies and the API document all use.
/// </summary>
public sealed class WireEnumTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Fact]
    public void The_contract_s_words_for_via_and_statuses()
    {
        Assert.Equal(["api", "link", "inbox", "slack"], Words<AcknowledgementVia>());
        Assert.Equal(["Accepted", "Delivering", "Delivered", "Failed", "Acknowledged", "Resolved"], Words<RequestStatus>());
        Assert.Equal(["Pending", "Delivered", "Failed", "Cancelled"], Words<DeliveryStatus>());
        // Stored values never move: Slack is new, at 3.
        Assert.Equal([0, 1, 2, 3], Enum.GetValues<AcknowledgementVia>().Select(v => (int)v));
    }

    [Fact]
    public async Task The_API_document_lists_each_enum_as_the_wire_writes_it()
    {
        var schemas = (await api.CreateClient().GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json")).GetProperty("components").GetProperty("schemas");
        var enums = typeof(RequestStatus).Assembly.GetTypes().Where(t => t.IsEnum).ToDictionary(t => t.Name);

        var documented = schemas.EnumerateObject().Where(s => s.Value.TryGetProperty("enum", out _)).ToArray();

        Assert.Contains(documented, s => s.Name == nameof(AcknowledgementVia));
        foreach (var schema in documented)
        {
            var type = enums[schema.Name];
            Assert.Equal(Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.SerializeToElement(v, type, WireJson.Options).GetString()),
                schema.Value.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        }
    }

    [Fact]
    public void The_API_and_the_events_write_with_the_same_configuration()
    {
        var view = new AcknowledgementView("Alice", DateTimeOffset.Parse("2026-11-26T10:00:00Z"), AcknowledgementVia.Inbox);
        var apiJson = api.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.Equal(JsonSerializer.Serialize(view, WireJson.Options), JsonSerializer.Serialize(view, apiJson));
        var request = new AssistanceRequestView(Guid.NewGuid(), "sales", "help", RequestStatus.Acknowledged, view.At, null, new Dictionary<string, string>(),
            [], view, null, null, []);
        var body = JsonDocument.Parse(EventsChannel.Body("request.acknowledged", view.At, 7, request)).RootElement;
        Assert.Equal("inbox", body.GetProperty("data").GetProperty("acknowledgement").GetProperty("via").GetString());
        Assert.Equal("Acknowledged", body.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(7, body.GetProperty("sequence").GetInt32());
    }

    private static string[] Words<T>() where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(v => JsonSerializer.SerializeToElement(v, WireJson.Options).GetString()!)];
}
