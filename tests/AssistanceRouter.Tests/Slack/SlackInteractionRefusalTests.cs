using System.Net;
using System.Text.Json.Nodes;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Slack;

/// <summary>
/// Whatever Slack did not sign just now, and whatever is not a press of this app's buttons, is a clear 4xx
/// (<c>application/problem+json</c>) and changes nothing: the request stays open and nobody hears anything.
/// </summary>
public sealed class SlackInteractionRefusalTests(SlackAppFixture fixture) : IClassFixture<SlackAppFixture>
{
    private SlackApiFactory Api => fixture.Api;

    public static TheoryData<string> Unsigned => ["unsigned", "wrong secret", "stale", "from the future", "signature of another body", "no timestamp"];

    [Theory]
    [MemberData(nameof(Unsigned))]
    public async Task A_press_Slack_did_not_sign_within_5_minutes_is_401_and_changes_nothing(string how)
    {
        var id = await OpenRequest();
        var body = SlackInteractions.Form(SlackInteractions.Payload("take", id, "mallory", fixture.Slack.ResponseUrl("mallory")));
        var request = how switch
        {
            "unsigned" => SlackInteractions.Signed(body, secret: null),
            "wrong secret" => SlackInteractions.Signed(body, secret: "not-the-apps-signing-secret"),
            "stale" => SlackInteractions.Signed(body, at: DateTimeOffset.UtcNow.AddMinutes(-6)),
            "from the future" => SlackInteractions.Signed(body, at: DateTimeOffset.UtcNow.AddMinutes(6)),
            "signature of another body" => Swapped(SlackInteractions.Signed(body.Replace("mallory", "mallorz")), body),
            _ => WithoutTimestamp(SlackInteractions.Signed(body)),
        };

        var response = await Api.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertUnchanged(id);
    }

    [Fact]
    public async Task The_same_signed_press_again_is_refused_and_changes_nothing_twice()
    {
        var id = await OpenRequest();
        var first = SlackInteractions.Signed(SlackInteractions.Form(SlackInteractions.Payload("take", id, "ola", fixture.Slack.ResponseUrl("ola"))));
        var replay = await SlackInteractions.CopyAsync(first);
        var client = Api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(first)).StatusCode);
        var taken = await Api.WaitForAsync(id, r => r.Acknowledgement is not null);
        var again = await client.SendAsync(replay);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var after = await Api.GetAsync(id);
        Assert.Equal(taken.Acknowledgement, after.Acknowledgement);
        Assert.Equal(taken.History.Count(), after.History.Count());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "no payload", "text=hello" },
        { "bad JSON", "payload=" + Uri.EscapeDataString("{\"type\": \"block_actions\", ") },
        { "unknown action", "unknown" },
        { "not block_actions", "view_submission" },
        { "not a request id", "not-a-guid" },
        { "no user", "no-user" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_signed_body_that_is_not_a_press_of_these_buttons_is_400_and_changes_nothing(string what, string bodyOrCase)
    {
        var id = await OpenRequest();
        var payload = SlackInteractions.Payload("take", id, "mo", fixture.Slack.ResponseUrl("mo-" + what.Replace(' ', '-')));
        switch (bodyOrCase)
        {
            case "unknown": payload["actions"]![0]!["action_id"] = "delete_everything"; break;
            case "view_submission": payload["type"] = "view_submission"; break;
            case "not-a-guid": payload["actions"]![0]!["value"] = "../../etc"; break;
            case "no-user": payload.Remove("user"); break;
        }
        var body = bodyOrCase.Contains('=') ? bodyOrCase : SlackInteractions.Form(payload);

        var response = await Api.CreateClient().SendAsync(SlackInteractions.Signed(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]?.GetValue<string>()));
        await AssertUnchanged(id);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_form_is_415()
    {
        var id = await OpenRequest();
        var body = SlackInteractions.Payload("take", id, "jo", fixture.Slack.ResponseUrl("jo")).ToJsonString();

        var response = await Api.CreateClient().SendAsync(SlackInteractions.Signed(body, contentType: "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertUnchanged(id);
    }

    private async Task<Guid> OpenRequest()
    {
        var (_, request) = await Api.SubmitAsync("sales", "Refusal check " + Guid.NewGuid());
        await Api.WaitForAsync(request!.Id, r => r.Status == RequestStatus.Delivered);
        return request.Id;
    }

    private async Task AssertUnchanged(Guid id)
    {
        var view = await Api.GetAsync(id);
        Assert.Null(view.Acknowledgement);
        Assert.Equal(RequestStatus.Delivered, view.Status);
        Assert.DoesNotContain(view.History, h => h.Event != "accepted" && h.Event != "notified");
    }

    private static HttpRequestMessage Swapped(HttpRequestMessage signedForOther, string body)
    {
        signedForOther.Content = new StringContent(body, System.Text.Encoding.UTF8);
        signedForOther.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return signedForOther;
    }

    private static HttpRequestMessage WithoutTimestamp(HttpRequestMessage request)
    {
        request.Headers.Remove("X-Slack-Request-Timestamp");
        return request;
    }
}
