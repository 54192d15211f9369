using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>A request goes in through the API and comes out at a real receiver; GET tells what happened.</summary>
public sealed class DeliveryEndToEndTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private ApiFactory Api => fixture.Api;

    [Fact]
    public async Task A_sales_request_reaches_Slack_escaped_and_is_Delivered()
    {
        var (response, accepted) = await Api.SubmitAsync("sales", "Order #42 <!channel> & <@U123> need <http://x|help>");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var delivered = await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);
        var post = (await fixture.Slack.WaitForRequestsAsync(1)).Single(r => r.Body.Contains(accepted.Id.ToString()));

        Assert.Equal("POST", post.Method);
        Assert.StartsWith("application/json", post.Header("content-type"));
        Assert.Contains("Order #42 &lt;!channel&gt; &amp; &lt;@U123&gt; need &lt;http://x|help&gt;", JsonDocument.Parse(post.Body).RootElement.GetProperty("text").GetString()!);
        Assert.DoesNotContain("<!channel>", post.Body);
        var delivery = Assert.Single(delivered.Deliveries);
        Assert.Equal(("slack", DeliveryStatus.Delivered, 1), (delivery.Channel, delivery.Status, delivery.Attempts));
        Assert.NotNull(delivery.DeliveredAt);
    }

    [Fact]
    public async Task A_pricing_request_reaches_the_SMTP_server_and_is_Delivered()
    {
        var (_, accepted) = await Api.SubmitAsync("pricing", "How much for 500 seats?");

        await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);
        var mail = (await fixture.Smtp.WaitForMessagesAsync(1)).Single(m => m.TextBody?.Contains(accepted.Id.ToString()) == true);

        Assert.Equal("router@example.test", mail.From.Mailboxes.Single().Address);
        Assert.Equal(["pricing-team@example.test", "backup@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("pricing", mail.Subject);
        Assert.Contains("How much for 500 seats?", mail.TextBody);
        Assert.Matches($"^{accepted.Id:N}-email\\.[0-9a-f]{{32}}@example\\.test$", mail.MessageId);
    }

    [Fact]
    public async Task A_request_routed_to_three_channels_is_Delivered_by_each()
    {
        var (_, accepted) = await Api.SubmitAsync("everything", "Tell everyone");

        var done = await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);

        Assert.Equal(["email", "hooks", "slack"], done.Deliveries.Select(d => d.Channel));
        Assert.All(done.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
    }

    [Fact]
    public async Task A_signed_webhook_carries_a_stable_id_and_a_valid_signature()
    {
        var (_, accepted) = await Api.SubmitAsync("integrations", "Sign me");

        await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);
        var post = fixture.Webhook.Requests.Single(r => r.Body.Contains(accepted.Id.ToString()));

        Assert.Matches($"^{accepted.Id:N}-hooks\\.[0-9a-f]{{32}}$", post.Header("webhook-id")); // the installation's id after the delivery's
        var key = Convert.FromBase64String(DeliveryFixture.WebhookSecret["whsec_".Length..]);
        var expected = SignedPost.Signature(key, post.Header("webhook-id")!,
            post.Header("webhook-timestamp")!, Encoding.UTF8.GetBytes(post.Body));
        Assert.Equal(expected, post.Header("webhook-signature"));
        var body = JsonDocument.Parse(post.Body).RootElement;
        Assert.Equal("Sign me", body.GetProperty("description").GetString());
        Assert.Equal("integrations", body.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task Slack_channel_not_found_fails_the_delivery_at_once_with_Slacks_reason()
    {
        var marker = Guid.NewGuid().ToString();
        fixture.Slack.Script(marker, _ => new Reply(404, "channel_not_found"));

        var (_, accepted) = await Api.SubmitAsync("sales", $"Nobody is there {marker}");
        var failed = await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Failed);

        var delivery = Assert.Single(failed.Deliveries);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("channel_not_found", delivery.LastError);
    }

    [Fact]
    public async Task A_503_is_retried_until_Slack_says_ok()
    {
        var marker = Guid.NewGuid().ToString();
        fixture.Slack.Script(marker, n => n <= 2 ? new Reply(503, "service unavailable") : Reply.Ok);

        var (_, accepted) = await Api.SubmitAsync("sales", $"Flaky {marker}");
        var delivered = await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Delivered);

        var delivery = Assert.Single(delivered.Deliveries);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal([AttemptResult.WillRetry, AttemptResult.WillRetry, AttemptResult.Delivered], delivery.RecentAttempts.Select(a => a.Result));
        Assert.Null(delivery.LastError); // delivered: the attempts keep what went wrong before
        Assert.Contains("HTTP 503", delivery.RecentAttempts[0].Error);
        var attempts = fixture.Slack.Requests.Where(r => r.Body.Contains(marker)).Select(r => r.At).ToArray();
        Assert.Equal(3, attempts.Length);
        // Retried promptly (ApiFactory's ceilings are 50 ms, then 100 ms). The schedule's arithmetic is DeliveryArithmeticTests'
        // on a fake clock; here only a bound with room for a loaded 2-core machine.
        Assert.All(attempts.Zip(attempts.Skip(1), (first, next) => next - first), gap => Assert.InRange(gap, TimeSpan.Zero, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_failed_delivery_is_tried_again_on_retry()
    {
        var marker = Guid.NewGuid().ToString();
        fixture.Slack.Script(marker, n => n == 1 ? new Reply(410, "channel_is_archived") : Reply.Ok);
        var (_, accepted) = await Api.SubmitAsync("sales", $"Archived, then restored {marker}");
        await Api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Failed);

        var retry = await Api.CreateClient().PostAsync($"/assistance-requests/{accepted.Id}/retry", NoBody.Json());
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

        var delivered = await Api.WaitForAsync(accepted.Id, r => r.Status == RequestStatus.Delivered);
        Assert.Equal(2, delivered.Deliveries.Single().Attempts);
        var again = await Api.CreateClient().PostAsync($"/assistance-requests/{accepted.Id}/retry", NoBody.Json());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Acknowledging_stops_the_retries()
    {
        var marker = Guid.NewGuid().ToString();
        // Two 503s, then an attempt that hangs: at the acknowledgement exactly three have arrived and one is in flight.
        fixture.Slack.Script(marker, n => n <= 2 ? new Reply(503, "down") : new Reply(Hang: true));
        var (_, accepted) = await Api.SubmitAsync("sales", $"Always down {marker}");
        await fixture.Slack.WaitForRequestsAsync(r => r.Body.Contains(marker), 3);

        var response = await Api.CreateClient().PostAsync($"/assistance-requests/{accepted!.Id}/acknowledge", NoBody.Json());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var acknowledged = (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
        Assert.Equal(RequestStatus.Acknowledged, acknowledged.Status);
        Assert.Equal(DeliveryStatus.Cancelled, acknowledged.Deliveries.Single().Status);

        // The later event: a request queued on the same channel after the 200 is sent, and then the channel holds
        // nothing, stored or in flight. A retry kept by mistake would be queued or in flight still (its attempts hang).
        var (_, after) = await Api.SubmitAsync("sales", $"after the acknowledgement {Guid.NewGuid()}");
        await Api.WaitForAsync(after!.Id, r => r.Status == RequestStatus.Delivered);
        var slack = Api.Services.GetRequiredService<IClusterClient>().GetGrain<IChannelGrain>("slack");
        await Eventually.Until<ChannelView>(() => slack.GetView(), view => view.Pending == 0 && view.InFlight == 0, "the Slack channel to hold nothing");

        Assert.Equal(3, fixture.Slack.Requests.Count(r => r.Body.Contains(marker)));
        Assert.Equal(RequestStatus.Acknowledged, (await Api.GetAsync(accepted.Id)).Status);
    }
}
