using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Testing;

namespace AssistanceRouter.Chaos;

/// <param name="RequestsPerSecond">Sending is paced so that kills land while requests flow.</param>
public sealed record ChaosOptions(
    int Requests = 300, int Silos = 3, TimeSpan? KillEvery = null, int Concurrency = 16, int? MaxKills = null, double RequestsPerSecond = 50)
{
    public TimeSpan KillInterval => KillEvery ?? TimeSpan.FromSeconds(10);
}

public sealed record ChaosResult(int Accepted, int Delivered, int Lost, int Duplicated, int Kills, int RetriedSubmissions, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"accepted {Accepted}, delivered {Delivered}, lost {Lost}, duplicated {Duplicated} ({(Accepted == 0 ? 0 : 100.0 * Duplicated / Accepted):0.###}%), " +
        $"silo kills {Kills}, submissions retried {RetriedSubmissions}, {Elapsed.TotalSeconds:0} s";
}

/// <summary>
/// Redis, <see cref="ChaosOptions.Silos"/> silo processes and an API node in client mode, all on loopback, delivering to
/// a loopback webhook receiver. Requests are sent (each with an Idempotency-Key, retried until accepted) while a
/// random silo is killed -9 and started again every <see cref="ChaosOptions.KillInterval"/>. Then it waits until
/// every accepted request reached the receiver and reads back that each is Delivered.
/// </summary>
public static class ChaosRun
{
    public static async Task<ChaosResult> RunAsync(ChaosOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Orleans__ClusterId"] = $"chaos-{Guid.NewGuid():N}",
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
            ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
            ["Channels__Chaos__Kind"] = "Webhook",
            ["Channels__Chaos__Url"] = receiver.Url.ToString(),
            ["Channels__Chaos__RatePerSecond"] = "5000",
            ["Channels__Chaos__Burst"] = "500",
            ["Routing__Topics__chaos__0"] = "chaos",
            ["Delivery__InitialBackoff"] = "00:00:00.200",
            ["Delivery__MaxBackoff"] = "00:00:02",
        };
        var silos = Enumerable.Range(0, options.Silos)
            .Select(_ => new NodeProcess(new Dictionary<string, string>(settings), NodeProcess.Silo)).ToArray();
        var api = new NodeProcess(new Dictionary<string, string>(settings) { ["Orleans__Mode"] = "Client" });
        try
        {
            // Side by side, as an orchestrator starts them: one after another took 23 s of a 43 s test run.
            await Task.WhenAll(silos.Select(silo => silo.StartAsync()));
            await api.StartAsync();
            log($"cluster up: {options.Silos} silos, 1 API node, {clock.Elapsed.TotalSeconds:0} s");

            var accepted = new ConcurrentBag<Guid>();
            var retried = 0;
            using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var killer = KillRandomSilos(silos, options, line => log($"{line} at {clock.Elapsed.TotalSeconds:0.0} s"), sending.Token);
            var next = -1;
            var sendingStarted = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < options.Requests)
                {
                    var due = TimeSpan.FromSeconds(i / options.RequestsPerSecond) - sendingStarted.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                    var (id, attempts) = await SubmitUntilAccepted(api.Http, i, cancellationToken);
                    accepted.Add(id);
                    if (attempts > 1) Interlocked.Increment(ref retried);
                }
            }));
            log($"every request accepted at {clock.Elapsed.TotalSeconds:0.0} s");
            // With a kill budget, every kill happens (some while deliveries are still in flight); without, kills stop with sending.
            if (options.MaxKills is null) await sending.CancelAsync();
            var kills = await killer;
            log($"sent {accepted.Count} in {clock.Elapsed.TotalSeconds:0} s with {kills} kills; waiting for delivery");

            var ids = accepted.ToHashSet();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3) + TimeSpan.FromMilliseconds(options.Requests * 5);
            Dictionary<Guid, int> counts;
            while ((counts = Count(receiver, ids)).Count < ids.Count && DateTime.UtcNow < deadline)
                await Task.Delay(500, cancellationToken);
            var delivered = 0;
            foreach (var id in ids)
            {
                var view = await api.Http.GetFromJsonAsync<JsonElement>($"/assistance-requests/{id}", cancellationToken);
                if (view.GetProperty("status").GetString() == "Delivered") delivered++;
            }
            return new ChaosResult(ids.Count, delivered, ids.Count - counts.Count, counts.Values.Sum() - counts.Count, kills, retried, clock.Elapsed);
        }
        finally
        {
            // The API node is killed, not stopped: a call of its that reached a silo as it was killed can wait for Orleans'
            // response timeout (30 s), and a graceful stop waits for the request behind it (20 s, until NodeProcess kills).
            // The silos stop side by side, as an orchestrator stops them.
            api.Kill();
            await api.DisposeAsync();
            await Task.WhenAll(silos.Select(silo => silo.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// How long one submission may take before it is sent again with its key, as a bot would. A submission whose grain
    /// call reached a silo as it was killed was seen to wait 30 s (Orleans' response timeout) for its answer; waiting for
    /// that made a run 17-40 s long, by where the kills fell.
    /// </summary>
    private static readonly TimeSpan SubmitTimeout = TimeSpan.FromSeconds(5);

    private static async Task<(Guid Id, int Attempts)> SubmitUntilAccepted(HttpClient http, int number, CancellationToken cancellationToken)
    {
        var key = $"chaos-{number}-{Guid.NewGuid():N}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/assistance-requests")
                {
                    Content = JsonContent.Create(new { topic = "chaos", description = $"chaos request {number}" }),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptTimeout.CancelAfter(SubmitTimeout);
                using var response = await http.SendAsync(request, attemptTimeout.Token);
                if (response.StatusCode == HttpStatusCode.Accepted)
                    return ((await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid(), attempt);
                if ((int)response.StatusCode < 500)
                    throw new InvalidOperationException($"request {number} was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            if (attempt >= 200) throw new TimeoutException($"request {number} was never accepted");
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt)), cancellationToken);
        }
    }

    private static async Task<int> KillRandomSilos(NodeProcess[] silos, ChaosOptions options, Action<string> log, CancellationToken stop)
    {
        var kills = 0;
        try
        {
            while (options.MaxKills is not { } max || kills < max)
            {
                await Task.Delay(options.KillInterval, stop);
                var victim = Random.Shared.Next(silos.Length);
                silos[victim].Kill();
                kills++;
                log($"killed silo {victim} (kill {kills})");
                await silos[victim].StartAsync();
                log($"silo {victim} ready again");
            }
        }
        catch (OperationCanceledException)
        {
        }
        return kills;
    }

    /// <summary>How many times each accepted request reached the receiver (the webhook body names it).</summary>
    private static Dictionary<Guid, int> Count(LoopbackReceiver receiver, HashSet<Guid> ids) => receiver.Requests
        .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("requestId").GetGuid())
        .Where(ids.Contains)
        .GroupBy(id => id)
        .ToDictionary(g => g.Key, g => g.Count());
}
