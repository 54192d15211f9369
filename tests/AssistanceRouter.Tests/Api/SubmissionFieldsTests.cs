using System.Net;
using System.Net.Http.Json;
using System.Text;
using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

/// <summary>
/// The rules of a submission's optional fields and of its description's characters, as the contract and the README
/// state them: each at its limit taken, one past it refused with a 400 that names the field and says the rule.
/// </summary>
public sealed class SubmissionFieldsTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private readonly HttpClient client = api.CreateClient();

    private static string UrlOfLength(int length)
    {
        const string start = "https://chat.example.test/c/";
        return start + new string('a', length - start.Length);
    }

    [Theory]
    [InlineData("https://chat.example.test/c/1")]
    [InlineData("http://chat.example.test:8080/c/1?as=agent#latest")]
    [InlineData("HTTPS://Chat.Example.Test/c/1")]
    public async Task An_http_or_https_conversation_url_is_taken_and_echoed(string url)
    {
        var view = await Accepted(new { topic = "sales", description = "help", conversationUrl = url });

        Assert.Equal(url, view.ConversationUrl);
    }

    [Fact]
    public async Task A_conversation_url_of_2048_characters_is_taken_trimmed()
    {
        var url = UrlOfLength(SubmissionReader.MaxConversationUrlLength);

        var view = await Accepted(new { topic = "sales", description = "help", conversationUrl = $"  {url}\n" });

        Assert.Equal(url, view.ConversationUrl);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_conversation_url_is_no_conversation_url(string url)
    {
        var view = await Accepted(new { topic = "sales", description = "help", conversationUrl = url });

        Assert.Null(view.ConversationUrl);
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("ftp://files.example.test/chat")]
    [InlineData("mailto:agent@example.test")]
    [InlineData("file:///etc/passwd")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("/c/1")]
    [InlineData("chat.example.test/c/1")]
    [InlineData("https://")]
    public async Task A_conversation_url_that_is_not_an_absolute_http_url_is_refused(string url)
    {
        var problem = await Refused("conversationUrl", new { topic = "sales", description = "help", conversationUrl = url });

        Assert.Contains("absolute http or https URL", problem.Detail);
    }

    [Fact]
    public async Task A_conversation_url_of_2049_characters_is_refused()
    {
        var problem = await Refused("conversationUrl", new { topic = "sales", description = "help", conversationUrl = UrlOfLength(SubmissionReader.MaxConversationUrlLength + 1) });

        Assert.Contains("at most 2048 characters", problem.Detail);
    }

    [Theory]
    [InlineData("https://chat.example@evil.example/")]
    [InlineData("https://agent:secret@chat.example.test/c/1")]
    [InlineData("http://a@chat.example.test/")]
    public async Task A_conversation_url_with_user_info_is_refused(string url)
    {
        var problem = await Refused("conversationUrl", new { topic = "sales", description = "help", conversationUrl = url });

        Assert.Contains("user info", problem.Detail);
    }

    private static Dictionary<string, string> Entries(int count) => Enumerable.Range(0, count).ToDictionary(i => $"key{i}", i => $"value {i}");

    [Fact]
    public async Task Sixteen_metadata_entries_are_taken_and_echoed()
    {
        var metadata = Entries(SubmissionReader.MaxMetadataEntries);

        var view = await Accepted(new { topic = "sales", description = "help", metadata });

        Assert.Equal(metadata, view.Metadata);
    }

    [Fact]
    public async Task Seventeen_metadata_entries_are_refused()
    {
        var problem = await Refused("metadata", new { topic = "sales", description = "help", metadata = Entries(SubmissionReader.MaxMetadataEntries + 1) });

        Assert.Contains("at most 16 entries; it has 17", problem.Detail);
    }

    [Theory]
    [InlineData("Az_09.-")]
    [InlineData("customer.id")]
    [InlineData("x")]
    [InlineData("a234567890123456789012345678901234567890")] // 40 characters
    public async Task A_metadata_key_of_1_to_40_allowed_characters_is_taken(string key)
    {
        var view = await Accepted(new { topic = "sales", description = "help", metadata = new Dictionary<string, string> { [key] = "v" } });

        Assert.Equal("v", view.Metadata[key]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a2345678901234567890123456789012345678901")] // 41 characters
    [InlineData("customer id")]
    [InlineData("customer/id")]
    [InlineData("customer:id")]
    [InlineData("customer@id")]
    [InlineData("kl\u00e9")]
    [InlineData("\u212Aey")] // the Kelvin sign, not a 'K'
    [InlineData("key\u0000")]
    public async Task A_metadata_key_outside_the_rule_is_refused(string key)
    {
        var problem = await Refused("metadata", new { topic = "sales", description = "help", metadata = new Dictionary<string, string> { ["fine"] = "v", [key] = "v" } });

        Assert.Contains("keys must be 1 to 40 characters of A-Z, a-z, 0-9, '_', '.', '-'", problem.Detail);
    }

    [Fact]
    public async Task A_metadata_value_of_500_characters_is_taken_and_one_of_501_refused()
    {
        var atLimit = new string('v', SubmissionReader.MaxMetadataValueLength);
        var view = await Accepted(new { topic = "sales", description = "help", metadata = new Dictionary<string, string> { ["note"] = atLimit, ["empty"] = "" } });
        Assert.Equal(atLimit, view.Metadata["note"]);
        Assert.Equal("", view.Metadata["empty"]);

        var problem = await Refused("metadata", new { topic = "sales", description = "help", metadata = new Dictionary<string, string> { ["note"] = atLimit + "v" } });

        Assert.Contains("at most 500 characters ('note' has 501)", problem.Detail);
    }

    [Fact]
    public async Task A_null_metadata_value_is_refused_naming_its_key()
    {
        var problem = await Refused("metadata", """{"topic": "sales", "description": "help", "metadata": {"fine": "v", "customer": null}}""");

        Assert.Contains("'customer' is null", problem.Detail);
    }

    [Theory]
    [InlineData("""{"customer": 42}""")]
    [InlineData("""{"customer": {"id": "42"}}""")]
    [InlineData("""{"customer": ["42"]}""")]
    [InlineData("""["customer"]""")]
    [InlineData("\"customer=42\"")]
    public async Task Metadata_that_is_not_a_flat_object_of_strings_is_refused_saying_where(string metadata)
    {
        var response = await Submit($$"""{"topic": "sales", "description": "help", "metadata": {{metadata}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.metadata", (await Problems.ReadAsync(response)).Detail);
    }

    [Fact]
    public async Task Empty_metadata_is_no_metadata()
    {
        var view = await Accepted(new { topic = "sales", description = "help", metadata = new Dictionary<string, string>() });

        Assert.Empty(view.Metadata);
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("a\u0001b")]
    [InlineData("colour \u001b[31mred")]
    [InlineData("delete\u007f")]
    [InlineData("next line\u0085")] // a C1 control character
    public async Task A_description_with_control_characters_is_refused(string description)
    {
        var problem = await Refused("description", new { topic = "sales", description = $"help {description} please" });

        Assert.Contains("must not contain control characters (other than tabs and line breaks)", problem.Detail);
    }

    [Fact]
    public async Task Tabs_and_line_breaks_in_a_description_are_text()
    {
        const string description = "line one\nline two\r\n\tindented";

        var view = await Accepted(new { topic = "sales", description });

        Assert.Equal(description, view.Description);
    }

    [Fact]
    public async Task A_missing_description_and_a_blank_one_are_told_apart()
    {
        var missing = await Refused("description", new { topic = "sales" });
        var blank = await Refused("description", new { topic = "sales", description = " \t " });
        var topic = await Refused("topic", new { description = "help" });

        Assert.Equal("'description' is required.", missing.Errors!["description"].Single());
        Assert.Equal("'description' must not be blank.", blank.Errors!["description"].Single());
        Assert.Equal("'topic' is required.", topic.Errors!["topic"].Single());
    }

    [Fact]
    public async Task Every_field_that_is_wrong_is_named_at_once()
    {
        var response = await Submit(new
        {
            topic = "not a topic!",
            description = "help\u0000",
            conversationUrl = "javascript:alert(1)",
            metadata = new Dictionary<string, string> { ["bad key"] = "v" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problems.ReadAsync(response);
        Assert.Equal(["conversationUrl", "description", "metadata", "topic"], problem.Errors!.Keys.Order());
    }

    private Task<HttpResponseMessage> Submit(object body) => client.PostAsJsonAsync("/assistance-requests", body);

    private Task<HttpResponseMessage> Submit(string json) =>
        client.PostAsync("/assistance-requests", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<AssistanceRequestView> Accepted(object body)
    {
        var response = await Submit(body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var view = (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
        var stored = await api.GetAsync(view.Id);
        Assert.Equal((view.Description, view.ConversationUrl), (stored.Description, stored.ConversationUrl));
        Assert.Equal(view.Metadata, stored.Metadata);
        return view;
    }

    private Task<Problem> Refused(string field, object body) => Refused(field, Submit(body));

    private Task<Problem> Refused(string field, string json) => Refused(field, Submit(json));

    private static async Task<Problem> Refused(string field, Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problems.ReadAsync(response);
        Assert.True(problem.Errors?.ContainsKey(field), $"the problem should name '{field}': {problem.Detail}");
        Assert.Single(problem.Errors!);
        return problem;
    }
}
