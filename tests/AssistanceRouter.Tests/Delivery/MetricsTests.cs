using System.Net;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

public sealed class MetricsTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task Metrics_count_accepted_and_delivered_requests_per_channel_in_Prometheus_text()
    {
        var marker = Guid.NewGuid().ToString();
        fixture.Slack.Script(marker, n => n == 1 ? new Reply(503, "down") : Reply.Ok);
        var (_, accepted) = await fixture.Api.SubmitAsync("sales", $"count me {marker}");
        await fixture.Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);

        var response = await fixture.Api.CreateClient().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("""assistance_router_requests_accepted(_total)?\{topic="sales"\} [1-9]""", text);
        Assert.Matches("""assistance_router_deliveries_delivered(_total)?\{channel="slack"\} [1-9]""", text);
        Assert.Matches("""assistance_router_deliveries_retried(_total)?\{channel="slack"\} [1-9]""", text);
        Assert.Matches("""assistance_router_delivery_latency(_seconds)?_bucket\{channel="slack",le="[^"]+"\} [1-9]""", text);
    }
}
