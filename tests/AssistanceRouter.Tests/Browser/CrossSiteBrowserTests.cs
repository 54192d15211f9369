using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Testing;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;

namespace AssistanceRouter.Tests.Browser;

/// <summary>
/// A node in its default setup (no API keys) and pages of other sites, opened in Chromium on the same machine: one
/// on another loopback address (<c>127.0.0.2</c>, cross-site), one on another port of the node's own (same-site,
/// another origin). Each tries every state-changing endpoint with <c>no-cors</c> fetches (no body, <c>text/plain</c>,
/// <c>multipart/form-data</c>, form-urlencoded) and with form posts of each encoding (<c>text/plain</c> shaped as JSON); nothing changes, as the API says.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossSiteBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    private NodeProcess node = null!;
    private WebApplication evil = null!;
    private readonly List<Uri> sites = [];

    public async Task InitializeAsync()
    {
        node = new NodeProcess(new Dictionary<string, string> { ["Routing__Topics__sales__0"] = "console" });
        var started = node.StartAsync(TimeSpan.FromSeconds(120));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.2:0", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        evil = builder.Build();
        evil.MapGet("/fetches", () => Results.Content(FetchesPage, "text/html"));
        await evil.StartAsync();
        sites.AddRange(evil.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)));
        await started;
    }

    public async Task DisposeAsync()
    {
        if (evil is not null) await evil.DisposeAsync();
        if (node is not null) await node.DisposeAsync();
    }

    [Fact]
    public async Task Pages_of_other_sites_can_neither_pause_a_channel_nor_take_give_back_or_resolve_a_request()
    {
        var open = await SubmitAsync();
        var taken = await SubmitAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Http.PostAsJsonAsync($"/assistance-requests/{taken}/acknowledge", new { by = "Bea" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.PostAsync("/channels/email/pause", NoBody.Json())).StatusCode);
        var openBefore = await OpenCountAsync();
        var targets = new[]
        {
            "/assistance-requests", "/assistance-request", $"/assistance-requests/{open}/acknowledge", $"/assistance-requests/{open}/resolve",
            $"/assistance-requests/{open}/retry", $"/assistance-requests/{taken}/unacknowledge", $"/assistance-requests/{taken}/resolve",
            "/channels/slack/pause", "/channels/email/resume", "/topics/sales",
        }.Select(t => new Uri(node.Url, t).ToString()).ToArray();

        await using var context = await fixture.NewContextAsync();
        var answers = new ConcurrentQueue<(string Url, int Status)>();
        context.Response += (_, response) =>
        {
            if (response.Request.Method == "POST" && targets[..^1].Contains(response.Url)) answers.Enqueue((response.Url, response.Status));
        };
        var page = await context.NewPageAsync();
        foreach (var site in sites)
        {
            await page.GotoAsync(new Uri(site, "/fetches").ToString());
            var tried = await page.EvaluateAsync<int>("targets => attack(targets)", targets);
            Assert.Equal(targets.Length * 5, tried);
            foreach (var target in targets[..^1]) // the route table takes PUT and DELETE, which no form can send
                foreach (var enctype in new[] { "text/plain", "multipart/form-data", "application/x-www-form-urlencoded" })
                {
                    await page.GotoAsync(new Uri(site, "/fetches").ToString());
                    var posted = await page.RunAndWaitForResponseAsync(
                        () => page.EvaluateAsync("([action, enctype]) => post(action, enctype)", new[] { target, enctype }),
                        r => r.Url == target && r.Request.Method == "POST");
                    await BrowserFixture.AtAsync(page, target); // the form's navigation done before the next one starts
                    Assert.Equal(403, posted.Status);
                }
        }

        // Every attempt reached the node, and each was refused as coming from another site.
        Assert.Equal(sites.Count * (targets.Length - 1) * 7, answers.Count);
        Assert.All(answers, a => Assert.Equal(403, a.Status));
        var openNow = await node.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{open}", ApiFactory.Json);
        Assert.Null(openNow!.Acknowledgement);
        Assert.Null(openNow.Resolution);
        var takenNow = await node.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{taken}", ApiFactory.Json);
        Assert.Equal("Bea", takenNow!.Acknowledgement?.By);
        Assert.Null(takenNow.Resolution);
        var channels = await node.Http.GetFromJsonAsync<JsonElement>("/channels");
        bool Paused(string name) => channels.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("paused").GetBoolean();
        Assert.False(Paused("slack"));
        Assert.True(Paused("email"));
        Assert.Equal(openBefore, await OpenCountAsync());
        var route = await node.Http.GetFromJsonAsync<JsonElement>("/topics/sales");
        Assert.Equal("console", route.GetProperty("channels")[0].GetString());

        // The node's own pages are not another site: the same browser, from the node's origin, still works.
        await page.GotoAsync(new Uri(node.Url, "/inbox").ToString());
        var own = await page.EvaluateAsync<int>(
            "url => fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => r.status)",
            new Uri(node.Url, "/channels/slack/pause").ToString());
        Assert.Equal(200, own);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.PostAsync("/channels/slack/resume", NoBody.Json())).StatusCode);
    }

    private async Task<Guid> SubmitAsync()
    {
        var response = await node.Http.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = $"Cross-site {Guid.NewGuid():N}" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Id;
    }

    private async Task<long> OpenCountAsync() =>
        (await node.Http.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Open&pageSize=1")).GetProperty("total").GetInt64();

    /// <summary>Every way a page may send a request to another origin without asking it: each answer is opaque to the page, and each is tried.</summary>
    private const string FetchesPage = """
        <!doctype html><title>Win a prize</title>
        <script>
        async function attack(targets) {
          let tried = 0;
          const bodies = () => [
            undefined,
            new Blob(['{"by": "Mallory", "note": "x"}'], {type: 'text/plain'}),
            (() => { const f = new FormData(); f.append('by', 'Mallory'); return f; })(),
            new URLSearchParams({by: 'Mallory'}),
          ];
          for (const url of targets) {
            for (const body of bodies()) {
              tried++;
              await fetch(url, {method: 'POST', mode: 'no-cors', body, credentials: 'include'}).catch(() => {});
            }
            // A JSON body needs a preflight, which the node never answers: the browser does not send the request.
            tried++;
            await fetch(url, {method: 'PUT', headers: {'Content-Type': 'application/json'}, body: '{"channels": ["email"]}'}).catch(() => {});
          }
          return tried;
        }
        // A form of each encoding; a text/plain one shaped so that its body reads as JSON: {"by": "Mallory", "x": "="}.
        function post(action, enctype) {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          form.enctype = enctype;
          const field = document.createElement('input');
          field.type = 'hidden';
          field.name = '{"by": "Mallory", "x": "';
          field.value = '"}';
          form.append(field);
          document.body.append(form);
          setTimeout(() => form.submit(), 0);
        }
        </script>
        """;
}
