using System.Net;
using System.Text.RegularExpressions;
using AssistanceRouter.Api.Inbox;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Inbox;

/// <summary><c>/inbox/requests/{id}</c> over HTTP: the whole story of one request, and its forms (post/redirect/get).</summary>
public sealed partial class RequestPageTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private HttpClient Client() => api.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task The_page_shows_the_description_and_history_and_its_forms_take_and_resolve_with_a_note_then_redirect()
    {
        var (_, request) = await api.SubmitAsync("sales", "<b>My</b> order never came");
        var path = $"/inbox/requests/{request!.Id}";
        using var client = Client();

        var page = await client.GetStringAsync(path);
        Assert.Contains("&lt;b&gt;My&lt;/b&gt; order never came", page); // text from a customer stays text
        Assert.Contains("Accepted", page);
        Assert.Contains("Nobody has it yet.", page);
        Assert.Contains("""value="take">""", page);

        // A POST made elsewhere, without the page's token: nothing changes.
        var forged = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "take", ["by"] = "Mallory" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null((await api.GetAsync(request.Id)).Acknowledgement);

        var taken = await client.PostAsync(path, Form(page, "take", "Hana"));
        Assert.Equal(HttpStatusCode.SeeOther, taken.StatusCode);
        Assert.Equal($"{path}?done=taken", taken.Headers.Location!.ToString());
        var after = await client.GetStringAsync(taken.Headers.Location);
        Assert.Contains("You have it.", after);
        Assert.Contains("<strong>Hana</strong> has it, since", after);
        Assert.Contains("Taken by <strong>Hana</strong> via inbox", after);
        Assert.Equal(("Hana", AcknowledgementVia.Inbox), ((await api.GetAsync(request.Id)).Acknowledgement!.By, (await api.GetAsync(request.Id)).Acknowledgement!.Via));

        var resolved = await client.PostAsync(path, Form(after, "resolve", "Hana", "Sent a new parcel <today>"));
        Assert.Equal(HttpStatusCode.SeeOther, resolved.StatusCode);
        var done = await client.GetStringAsync(resolved.Headers.Location);
        Assert.Contains("Resolved by <strong>Hana</strong>", done);
        Assert.Contains("Sent a new parcel &lt;today&gt;", done);
        Assert.DoesNotContain("""name="action" """, done); // nothing left to press
        Assert.Equal("Sent a new parcel <today>", (await api.GetAsync(request.Id)).Resolution!.Note);
    }

    [Fact]
    public async Task A_form_that_loses_says_who_has_it_and_an_unknown_request_is_a_404_page()
    {
        var (_, request) = await api.SubmitAsync("sales", "Two people at once");
        var path = $"/inbox/requests/{request!.Id}";
        using var client = Client();
        var page = await client.GetStringAsync(path);
        using var api2 = api.CreateClient();
        Assert.True((await api2.PostAsync($"/assistance-requests/{request.Id}/acknowledge", System.Net.Http.Json.JsonContent.Create(new { by = "Ivo" }))).IsSuccessStatusCode);

        var lost = await client.PostAsync(path, Form(page, "take", "Jo"));
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        Assert.Contains("Ivo has request", await lost.Content.ReadAsStringAsync());

        foreach (var unknown in new[] { $"/inbox/requests/{Guid.NewGuid()}", "/inbox/requests/not-an-id" })
        {
            var missing = await client.GetAsync(unknown);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("text/html", missing.Content.Headers.ContentType!.MediaType);
            Assert.Contains("No such request", await missing.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public void Late_thresholds_per_topic_must_be_topics_and_red_must_come_after_amber()
    {
        var validator = new InboxOptionsValidator();
        var options = new InboxOptions
        {
            Late =
            {
                ["sales"] = new LateThresholds { Amber = TimeSpan.FromMinutes(2), Red = TimeSpan.FromMinutes(1) },
                ["Bad Topic"] = new LateThresholds(),
                ["support"] = new LateThresholds { Amber = TimeSpan.FromMinutes(1), Red = TimeSpan.FromMinutes(3) },
            },
        };

        var result = validator.Validate(null, options);

        Assert.Equal(
            ["Inbox:Late:sales:Red is 00:01:00, which must be later than Inbox:Late:sales:Amber (00:02:00).",
             "Inbox:Late:Bad Topic names 'Bad Topic', which is not a topic name (1 to 64 characters: letters a-z, digits, '-', '_' or '.', starting with a letter or digit)."],
            result.Failures);
        Assert.Equal(TimeSpan.FromMinutes(3), options.LateByTopic()["support"].Red);
    }

    [Fact]
    public async Task A_node_with_a_wrong_late_threshold_does_not_start_and_says_which_key()
    {
        await using var node = new NodeProcess(new Dictionary<string, string> { ["Inbox__Late__sales__Amber"] = "00:20:00" });

        var (exitCode, output) = await node.RunToExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal("AssistanceRouter cannot start: Inbox:Late:sales:Red is 00:15:00, which must be later than Inbox:Late:sales:Amber (00:20:00).", output);
    }

    [Theory]
    [InlineData("give-back")]
    [InlineData("resolve")]
    public async Task Giving_back_or_resolving_someone_elses_request_asks_first_and_records_who_did_it(string action)
    {
        var (_, request) = await api.SubmitAsync("sales", $"Whose is it {Guid.NewGuid():N}");
        var path = $"/inbox/requests/{request!.Id}";
        using var client = Client();
        var page = await client.GetStringAsync(path);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(path, Form(page, "take", "Ann"))).StatusCode);
        page = await client.GetStringAsync(path);

        // Ann herself, typed another way: no question.
        if (action == "give-back")
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(path, Form(page, action, "ann"))).StatusCode);
            Assert.Null((await api.GetAsync(request.Id)).Acknowledgement);
            Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(path, Form(page, "take", "Ann"))).StatusCode);
            page = await client.GetStringAsync(path);
        }

        var asked = await client.PostAsync(path, Form(page, action, "Bob"));
        Assert.Equal(HttpStatusCode.Conflict, asked.StatusCode);
        var question = await asked.Content.ReadAsStringAsync();
        Assert.Contains("Ann has this request.", question);
        Assert.Contains("anyway, as Bob?", question);
        var unchanged = await api.GetAsync(request.Id);
        Assert.Equal("Ann", unchanged.Acknowledgement!.By);
        Assert.Null(unchanged.Resolution);

        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken().Match(question).Groups[1].Value,
            ["action"] = action,
            ["by"] = "Bob",
            ["note"] = "",
            ["confirm"] = "yes",
        };
        Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync(path, new FormUrlEncodedContent(fields))).StatusCode);
        var after = await api.GetAsync(request.Id);
        if (action == "resolve")
        {
            Assert.Equal("Bob", after.Resolution!.By);
        }
        else
        {
            Assert.Null(after.Acknowledgement);
            Assert.Equal(("unacknowledged", "Bob", "held by Ann"), (after.History[^1].Event, after.History[^1].By, after.History[^1].Detail));
        }
    }

    private static FormUrlEncodedContent Form(string page, string action, string by, string? note = null) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = FormToken().Match(page).Groups[1].Value,
        ["action"] = action,
        ["by"] = by,
        ["note"] = note ?? "",
    });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
