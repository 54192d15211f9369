using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// Names a person can trust: one person whatever the case or Unicode form they type it in on another device, and no
/// name holding characters a reader cannot see; a description's such characters written out where people read it.
/// </summary>
public sealed class PersonNameTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private async Task<Guid> SubmitAsync(string description = "Where is my parcel?")
    {
        var (response, request) = await api.SubmitAsync("sales", description);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return request!.Id;
    }

    private Task<HttpResponseMessage> AcknowledgeAsync(Guid id, string by) =>
        api.CreateClient().PostAsJsonAsync($"/assistance-requests/{id}/acknowledge", new { by });

    [Theory]
    [InlineData("ann")]
    [InlineData("ANN")]
    [InlineData(" Ann ")]
    [InlineData("Ａｎｎ")] // full width, as some keyboards type it: NFKC makes it Ann
    public async Task Ann_then_the_same_name_typed_another_way_both_get_200_and_Ann_keeps_it(string again)
    {
        var id = await SubmitAsync();
        Assert.Equal(HttpStatusCode.OK, (await AcknowledgeAsync(id, "Ann")).StatusCode);

        var response = await AcknowledgeAsync(id, again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ann", (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Acknowledgement!.By);
        Assert.Equal(HttpStatusCode.Conflict, (await AcknowledgeAsync(id, "Anne")).StatusCode);
    }

    [Theory]
    [InlineData("\u202E")]
    [InlineData("\u202A")]
    [InlineData("\u2066")]
    [InlineData("\u2069")]
    [InlineData("\u200E")]
    [InlineData("\u200F")]
    [InlineData("\u061C")]
    [InlineData("\u200B")]
    [InlineData("\u200D")]
    [InlineData("\u2060")]
    [InlineData("\uFEFF")]
    public async Task A_name_holding_a_bidi_control_or_a_zero_width_character_is_a_400_naming_by(string hidden)
    {
        var id = await SubmitAsync();

        foreach (var action in new[] { "acknowledge", "resolve" })
        {
            var response = await api.CreateClient().PostAsJsonAsync($"/assistance-requests/{id}/{action}", new { by = $"Ann{hidden}exe.pdf" });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await Problems.ReadAsync(response);
            Assert.Contains($"U+{(int)hidden[0]:X4}", Assert.Single(problem.Errors!["by"]));
        }
        var request = await api.GetAsync(id);
        Assert.Null(request.Acknowledgement);
        Assert.Null(request.Resolution);
    }

    [Fact]
    public async Task A_description_with_a_right_to_left_override_is_written_out_in_the_inbox_its_page_and_notices()
    {
        const string description = "Please open my invoice \u202Efdp.exe";
        var id = await SubmitAsync(description);
        Assert.Equal(description, (await api.GetAsync(id)).Description); // stored as sent: the API gives back what it got

        var snapshot = await Eventually.Until(() => api.CreateClient().GetFromJsonAsync<JsonElement>($"/inbox/requests?q={id}"),
            s => s.GetProperty("open").GetProperty("total").GetInt32() == 1, "the inbox to see the request");
        Assert.Equal("Please open my invoice ⟨U+202E⟩fdp.exe", snapshot.GetProperty("open").GetProperty("items")[0].GetProperty("description").GetString());

        var page = await api.CreateClient().GetStringAsync($"/inbox/requests/{id}");
        Assert.Contains("""<p class="description" dir="auto">Please open my invoice ⟨U+202E⟩fdp.exe</p>""", System.Net.WebUtility.HtmlDecode(page));
        Assert.DoesNotContain("\u202E", System.Net.WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        var notice = new NoticeText(new OutgoingNotice(id, "slack", "sales", description, DateTimeOffset.UnixEpoch));
        Assert.Equal("Please open my invoice ⟨U+202E⟩fdp.exe", notice.Description);
        Assert.DoesNotContain('\u202E', SlackSender.Payload(new OutgoingNotice(id, "slack", "sales", description, DateTimeOffset.UnixEpoch)).ToJsonString(
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Theory]
    [InlineData("Ann", "ann", true)]
    [InlineData("ﬃ", "FFI", true)]
    [InlineData("Ann", "Anne", false)]
    public void Names_are_one_person_after_NFKC_without_case(string a, string b, bool same) => Assert.Equal(same, PersonNames.Same(a, b));
}
