using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

public sealed class UnconfiguredChannelTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Fact]
    public async Task A_request_for_an_unconfigured_channel_waits_and_says_why()
    {
        var (_, accepted) = await api.SubmitAsync("pricing", "Nobody set up email yet");

        var view = await api.WaitForAsync(accepted!.Id, r => r.Deliveries[0].LastError is not null);

        Assert.Equal(RequestStatus.Accepted, view.Status);
        var delivery = Assert.Single(view.Deliveries);
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Contains("Channels__Email__Host", delivery.LastError);
    }
}
