using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Hosting;
using Prometheus;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>/metrics as Prometheus reads it: promtool's own check on a real node, every series there from the start, latency per notice.</summary>
public sealed class MetricsExpositionTests
{
    [Fact]
    public async Task A_real_node_s_metrics_pass_promtool_check_metrics_with_every_channel_and_topic_at_zero()
    {
        await using var node = new NodeProcess(new Dictionary<string, string>
        {
            ["Routing__Topics__demo__0"] = "console",
            ["Channels__Hooks__Kind"] = "Webhook",
            ["Channels__Hooks__Url"] = "http://127.0.0.1:9/hook",
        });
        await node.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await node.Http.PostAsJsonAsync("/assistance-requests", new { topic = "demo", description = "count me" })).StatusCode);
        var text = await Eventually.Until(() => node.Http.GetStringAsync("/metrics"),
            t => t.Contains("assistance_router_deliveries_delivered_total{channel=\"console\"} 1"), "the console delivery to be counted",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), t => t);

        var (exitCode, complaints) = await Promtool(text);

        Assert.True(exitCode == 0 && complaints.Length == 0, $"promtool check metrics said ({exitCode}):\n{complaints}");
        // Configured and untouched: there at 0, so that rate() and alerts see the first event.
        Assert.Contains("assistance_router_deliveries_failed_total{channel=\"hooks\"} 0", text);
        Assert.Contains("assistance_router_deliveries_rate_limited_total{channel=\"email\"} 0", text);
        Assert.Contains("assistance_router_requests_accepted_total{topic=\"other\"} 0", text);
        Assert.Contains("assistance_router_escalations_total{topic=\"demo\"} 0", text);
        Assert.Contains("assistance_router_delivery_latency_seconds_bucket{channel=\"console\",le=\"86400\"} 1", text); // buckets up to a day
        Assert.DoesNotContain("system_runtime_", text);
    }

    [Fact]
    public async Task Delivery_latency_runs_from_when_the_notice_was_queued_not_from_acceptance()
    {
        var channel = $"latency-{Guid.NewGuid():N}"[..20];
        var accepted = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
        var queued = accepted.AddHours(1); // a "taken" notice, an hour after acceptance
        var notice = new Notice($"{Guid.NewGuid():N}-3", Guid.NewGuid(), NoticeKind.Taken, "sales", "help", accepted, null, queued, By: "Alice");

        new ChannelCounters(channel, new DeliveryMetrics()).Count(notice, SendResult.Delivered,
            new AttemptOutcome(AttemptResult.Delivered, queued.AddMilliseconds(200), null, null));

        var text = await Exported();
        Assert.Contains($"assistance_router_delivery_latency_seconds_bucket{{channel=\"{channel}\",le=\"0.1\"}} 0", text);
        Assert.Contains($"assistance_router_delivery_latency_seconds_bucket{{channel=\"{channel}\",le=\"0.25\"}} 1", text);
        Assert.Contains($"assistance_router_delivery_latency_seconds_sum{{channel=\"{channel}\"}} 0.2", text);
    }

    private static async Task<string> Exported()
    {
        using var stream = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Debian's promtool (package prometheus, which ./test.sh installs) on the exposition text.</summary>
    private static async Task<(int ExitCode, string Output)> Promtool(string exposition)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start: run the tests with ./test.sh, which installs it");
        var output = promtool.StandardOutput.ReadToEndAsync();
        var errors = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, ((await output) + (await errors)).Trim());
    }
}
