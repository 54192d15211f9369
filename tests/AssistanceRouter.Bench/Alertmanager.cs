using System.Diagnostics;
using AssistanceRouter.Testing;

namespace AssistanceRouter.Bench;

/// <summary>
/// Prometheus Alertmanager (Debian's <c>prometheus-alertmanager</c>, 0.25 on bookworm) on loopback, the tool people
/// would put in front of a webhook instead of this product: every alert its own group (<c>group_by: ['...']</c>), sent
/// at once to the same receiver as ours. It keeps alerts in memory only; clustering is off. Null when not installed.
/// </summary>
public sealed class Alertmanager : IAsyncDisposable
{
    public const string Command = "prometheus-alertmanager";

    private readonly Process process;
    private readonly string directory;

    private Alertmanager(Process process, string directory, Uri url) => (this.process, this.directory, Url) = (process, directory, url);

    public Uri Url { get; }

    /// <summary>
    /// One alert per POST, each with a label of its own, so that each is a new alert (an identical one would only be
    /// merged into the first) and a notification of its own, as each of our requests is.
    /// </summary>
    public const string LoadScript = """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        local n = 0
        request = function()
          n = n + 1
          return wrk.format(nil, nil, nil, '[{"labels":{"alertname":"AssistanceRequested","topic":"fast","request":"' .. n .. '"},"annotations":{"description":"I need help with my order"}}]')
        end
        """;

    public static async Task<Alertmanager?> StartAsync(Uri receiver)
    {
        if (!IsInstalled()) return null;
        var directory = Directory.CreateTempSubdirectory("bench-alertmanager-").FullName;
        var config = Path.Combine(directory, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: sink
              group_by: ['...']
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 4h
            receivers:
              - name: sink
                webhook_configs:
                  - url: '{new Uri(receiver, "alertmanager")}'
                    send_resolved: false
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Command,
            [$"--config.file={config}", $"--storage.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}",
             "--cluster.listen-address=", "--log.level=warn"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Command} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var alertmanager = new Alertmanager(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20));
        return alertmanager;
    }

    private static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, Command)));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
