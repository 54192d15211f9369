using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace AssistanceRouter.Tests.Storage;

/// <summary>
/// What the golden bytes in <c>TestData/StoredShapes.json</c> hold: a request's state and a queued notice with every
/// field set to something other than its default, so that a field that no longer reads shows.
/// </summary>
public static class StoredShapes
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-26T10:00:00.123Z");

    public static Notice QueuedNotice() => new(
        $"{RequestId:N}-3", RequestId, NoticeKind.Taken, "sales", "I need help with my order 🙂", Created,
        "https://chat.example.test/c/1", Created.AddMinutes(3), By: "Priya", Body: [1, 2, 3, 255], Attempts: 2,
        Unreported: new AttemptOutcome(AttemptResult.Failed, Created.AddMinutes(4), "HTTP 410: channel_is_archived", Created.AddMinutes(5)));

    public static AssistanceRequestState State()
    {
        var state = new AssistanceRequestState
        {
            Topic = "sales",
            Description = "I need help with my order 🙂",
            CreatedAt = Created,
            IdempotencyFingerprint = "key:5f2b",
            ConversationUrl = "https://chat.example.test/c/1",
            Metadata = new() { ["order"] = "42", ["tier"] = "gold" },
            Acknowledgement = new Acknowledgement("Priya", Created.AddMinutes(3), AcknowledgementVia.Link),
            Resolution = new Resolution("Sam", Created.AddMinutes(9), "refunded"),
            Escalation = new EscalationPolicy([new EscalationStep(TimeSpan.FromMinutes(5), ["email"]), new EscalationStep(TimeSpan.FromMinutes(15), ["email", "slack"])], Repeat: 1),
            EscalationStep = 1,
            EscalationNextAt = Created.AddMinutes(15),
            Sequence = 3,
            UnconfirmedCancels = [new NoticeRef("email", $"{RequestId:N}-2")],
            MetricsTopic = "other",
            DeliveredAnnounced = true,
            Outbox = [new OutboxItem("slack", QueuedNotice())],
        };
        state.Deliveries["slack"] = new DeliveryState
        {
            Status = DeliveryStatus.Failed,
            Attempts = 2,
            LastError = "HTTP 410: channel_is_archived",
            DeliveredAt = Created.AddMinutes(1),
            NextAttemptAt = Created.AddMinutes(2),
            PendingSince = Created,
            RecentAttempts = [new AttemptRecord(Created.AddSeconds(1), AttemptResult.WillRetry, "HTTP 503"), new AttemptRecord(Created.AddSeconds(3), AttemptResult.Failed, "HTTP 410: channel_is_archived")],
            NoticeId = RequestId.ToString("N"),
            Reached = true,
        };
        state.Deliveries["email"] = new DeliveryState { Status = DeliveryStatus.Cancelled, PendingSince = Created.AddMinutes(5), NoticeId = $"{RequestId:N}-2" };
        state.History.Add(new HistoryRecord(Created, HistoryEvents.Accepted));
        state.History.Add(new HistoryRecord(Created.AddMinutes(3), HistoryEvents.Acknowledged, Channel: "slack", By: "Priya", Detail: "link"));
        return state;
    }

    /// <summary>
    /// The state as the first versions stored it, as JSON with type names (until 2026-11-26): they had no outbox, which
    /// came after state went binary, so this sample has none.
    /// </summary>
    public static AssistanceRequestState JsonEraState()
    {
        var state = State();
        state.Outbox.Clear();
        return state;
    }

    public static ChannelState ChannelState() => new() { Paused = true };

    /// <summary>A silo's services as the product configures them, built but not started: its serializers are the ones storage uses.</summary>
    public static IHost SiloServices()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddAssistanceRouterGrains());
        return builder.Build();
    }

    public static Serializer Serializer(this IHost host) => host.Services.GetRequiredService<Serializer>();

    public static IGrainStorageSerializer StateSerializer(this IHost host) => host.Services.GetRequiredService<IGrainStorageSerializer>();
}
