using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using AssistanceRouter.Testing;

namespace AssistanceRouter.Bench;

/// <summary>
/// Starts redis-server (append-only file, fsync always, as in <c>docker-compose.yml</c>), a loopback receiver answering
/// <c>ok</c>, the API (embedded silo) as a process and, when installed, Prometheus Alertmanager and BullMQ; loads each
/// with wrk; and returns the nine figures docs/benchmarks.md explains.
/// Nothing here asserts a speed: a benchmark is not a test.
/// </summary>
public static class Benchmark
{
    private const string Fast = """{"topic": "fast", "description": "I need help with my order"}""";

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchOptions options, Action<string> log)
    {
        await using var redis = await RedisServer.StartAsync(durable: true);
        await using var receiver = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string>(BenchmarkHooks.Environment)
        {
            ["Channels__Fast__Kind"] = "Webhook",
            ["Channels__Fast__Url"] = receiver.Url.ToString(),
            ["Channels__Fast__RatePerSecond"] = "1000000",
            ["Channels__Fast__Burst"] = "10000",
            ["Channels__Slow__Kind"] = "Webhook",
            ["Channels__Slow__Url"] = receiver.Url.ToString(),
            ["Channels__Slow__RatePerSecond"] = "1",
            ["Channels__Slow__Burst"] = "1",
            ["Routing__Topics__fast__0"] = "fast",
            ["Routing__Topics__slow__0"] = "slow",
        };
        var figures = new List<Figure>();
        LoadResult accept, sqlite;

        await using (var node = new NodeProcess(new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
        }))
        {
            await node.StartAsync();
            await Warm(node, options);

            var routerBefore = await Metric(node, RouterCallCounter.Metric);
            var deliveredBefore = receiver.Requests.Count;
            var clock = Stopwatch.StartNew();
            accept = await Load(node, "/assistance-requests", Fast, options, log, "accept (Redis)");
            var routerCalls = await Metric(node, RouterCallCounter.Metric) - routerBefore;
            // Delivery rate: everything the accept run queued, from its start until the channel has drained it.
            var loadStopped = clock.Elapsed;
            await Drained(node, "fast");
            var drainedAfter = clock.Elapsed - loadStopped;
            var delivered = (receiver.Requests.Count - deliveredBefore) / clock.Elapsed.TotalSeconds;
            log($"delivered: {receiver.Requests.Count - deliveredBefore} in {clock.Elapsed.TotalSeconds:0.0} s, the last {drainedAfter.TotalSeconds:0.0} s after the load stopped");
            var bare = await Load(node, BareEndpoint.Path, Fast, options, log, "bare 202");

            var rssBefore = node.ResidentBytes();
            await Backlog(node, options.Backlog, log);
            var rssAfter = node.ResidentBytes();
            var withBacklog = await Load(node, "/assistance-requests", Fast, options, log, "accept with backlog");

            figures.Add(new($"1. accepted/s, Redis, {options.Connections} connections", $"{accept.RequestsPerSecond:0} /s (p50 {Ms(accept.P50)}, p99 {Ms(accept.P99)})", ">= 0.75 of 9's, p99 <= 50 ms"));
            figures.Add(new("2. bare 202 endpoint (ceiling); ratio of 1", $"{bare.RequestsPerSecond:0} /s; {accept.RequestsPerSecond / bare.RequestsPerSecond:0.###}", "ratio >= 0.15"));
            figures.Add(new("3. delivered/s end to end, no rate limit", $"{delivered:0} /s (all {drainedAfter.TotalSeconds:0.0} s after the load)", "all within 30 s"));
            figures.Add(new($"4. accepted/s with {options.Backlog} waiting at 1/s; ratio of 1", $"{withBacklog.RequestsPerSecond:0} /s; {withBacklog.RequestsPerSecond / accept.RequestsPerSecond:0.###}", "ratio >= 0.8"));
            figures.Add(new("5. memory per pending request", $"{(rssAfter - rssBefore) / (double)options.Backlog:0} B (RSS {Mb(rssBefore)} -> {Mb(rssAfter)})", "<= 2048 B"));
            figures.Add(new("6. router grain calls per request", $"{routerCalls / Math.Max(1, accept.Requests):0.####} ({routerCalls:0} calls, {accept.Requests} requests)", "0"));
        }

        await using (var embedded = new NodeProcess(new Dictionary<string, string>(settings)))
        {
            await embedded.StartAsync();
            await Warm(embedded, options);
            sqlite = await Load(embedded, "/assistance-requests", Fast, options, log, "accept (embedded SQLite)");
            figures.Add(new("7. embedded single node (SQLite) accepted/s", $"{sqlite.RequestsPerSecond:0} /s (p50 {Ms(sqlite.P50)}, p99 {Ms(sqlite.P99)})", ">= 0.75 of 9's"));
        }

        // The same load on the same machine and receiver, taken by the tools people would use instead.
        await using (var alertmanager = await Alertmanager.StartAsync(receiver.Url))
        {
            if (alertmanager is null)
            {
                figures.Add(new("8. Alertmanager accepted/s (memory only)", "not installed: ./bench.sh installs prometheus-alertmanager", "-"));
            }
            else
            {
                var alerts = new Uri(alertmanager.Url, "api/v2/alerts");
                await Wrk.RunAsync(alerts, Alertmanager.LoadScript, options.Connections, options.Duration);
                var theirs = await Load(() => Wrk.RunAsync(alerts, Alertmanager.LoadScript, options.Connections, options.Duration), log, "Alertmanager");
                figures.Add(new($"8. Alertmanager accepted/s (memory only), {options.Connections} connections",
                    $"{theirs.RequestsPerSecond:0} /s (p50 {Ms(theirs.P50)}, p99 {Ms(theirs.P99)}); 1 and 7 are {Of(accept, theirs)} and {Of(sqlite, theirs)} of it", "-"));
            }
        }

        await using (var bullMq = await BullMq.StartAsync(receiver.Url, log))
        {
            if (bullMq is null)
            {
                figures.Add(new("9. BullMQ accepted/s (Redis, AOF fsync always)", "node or npm missing: ./bench.sh installs them", "-"));
                return figures;
            }
            var intake = new Uri(bullMq.Url, "assistance-requests");
            var before = receiver.Requests.Count;
            var warm = await Wrk.PostAsync(intake, Fast, options.Connections, 2 * options.Duration); // the same warm-up as ours
            await Delivered(receiver, before + warm.Requests - warm.Non2xx, "BullMQ's warm-up");
            before = receiver.Requests.Count;
            var theirs = await Load(() => Wrk.PostAsync(intake, Fast, options.Connections, options.Duration), log, "BullMQ");
            var lag = Stopwatch.StartNew();
            await Delivered(receiver, before + theirs.Requests, "BullMQ's load");
            figures.Add(new($"9. BullMQ {BullMq.Version} accepted/s (Redis, AOF fsync always), {options.Connections} connections",
                $"{theirs.RequestsPerSecond:0} /s (p50 {Ms(theirs.P50)}, p99 {Ms(theirs.P99)}; all {lag.Elapsed.TotalSeconds:0.0} s after the load); 1 and 7 are {Of(accept, theirs)} and {Of(sqlite, theirs)} of it",
                "-"));
        }
        return figures;
    }

    private static string Of(LoadResult ours, LoadResult theirs) => $"{ours.RequestsPerSecond / theirs.RequestsPerSecond:0.##}";

    /// <summary>Waits until the receiver has had <paramref name="count"/> requests in all.</summary>
    private static async Task Delivered(LoopbackReceiver receiver, long count, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (receiver.Requests.Count >= count) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{what}: {count} deliveries awaited in all, {receiver.Requests.Count} arrived");
    }

    public static string Table(IReadOnlyList<Figure> figures)
    {
        var width = figures.Max(f => f.Name.Length);
        var valueWidth = figures.Max(f => f.Value.Length);
        var text = new StringBuilder();
        text.AppendLine($"{"figure".PadRight(width)}  {"measured".PadRight(valueWidth)}  target");
        foreach (var f in figures) text.AppendLine($"{f.Name.PadRight(width)}  {f.Value.PadRight(valueWidth)}  {f.Target}");
        return text.ToString();
    }

    private static Task<LoadResult> Load(NodeProcess node, string path, string body, BenchOptions options, Action<string> log, string what) =>
        Load(() => Wrk.PostAsync(new Uri(node.Url, path), body, options.Connections, options.Duration), log, what);

    private static async Task<LoadResult> Load(Func<Task<LoadResult>> run, Action<string> log, string what)
    {
        var result = await run();
        log($"{what}: {result.RequestsPerSecond:0}/s, p50 {Ms(result.P50)}, p99 {Ms(result.P99)}, non-2xx {result.Non2xx}");
        if (result.Non2xx > 0) throw new InvalidOperationException($"{what}: {result.Non2xx} answers were not 2xx");
        return result;
    }

    /// <summary>
    /// JIT (tiered, with PGO), connections, activations: twice as long a load as a measured one first, then drained.
    /// One such load was not enough: the tiered compiler was still busy (a quarter of the CPU 15 s in), and the first
    /// measured figure came out far below the same load a minute later.
    /// </summary>
    private static async Task Warm(NodeProcess node, BenchOptions options)
    {
        await Wrk.PostAsync(new Uri(node.Url, "/assistance-requests"), Fast, options.Connections, 2 * options.Duration);
        await Drained(node, "fast");
    }

    private static async Task Drained(NodeProcess node, string channel)
    {
        for (var i = 0; i < 600; i++)
        {
            var channels = await node.Http.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/channels");
            if (channels!.Single(c => c.GetProperty("name").GetString() == channel).GetProperty("pending").GetInt32() == 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"channel {channel} never drained");
    }

    /// <summary>Leaves <paramref name="count"/> requests waiting behind the 1-a-second channel.</summary>
    private static async Task Backlog(NodeProcess node, int count, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                using var response = await node.Http.PostAsync("/assistance-requests",
                    new StringContent("""{"topic": "slow", "description": "waiting in the backlog"}""", Encoding.UTF8, "application/json"));
                if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"backlog request refused: {response.StatusCode}");
            }
        }));
        log($"backlog of {count} accepted in {clock.Elapsed.TotalSeconds:0} s");
    }

    private static async Task<double> Metric(NodeProcess node, string name)
    {
        var text = await node.Http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The node shows no {name}: it did not load the benchmark's hooks ({nameof(BenchmarkHooks)}).\n{node.Output}");
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0.##} ms";

    private static string Mb(long bytes) => $"{bytes / 1048576.0:0} MiB";
}
