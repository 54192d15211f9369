using System.Diagnostics;
using AssistanceRouter.Testing;

namespace AssistanceRouter.Bench;

/// <summary>
/// BullMQ 6.7 on Redis, the durable queue a Node team would put in front of the same receiver: an HTTP intake answering
/// 202 once <c>queue.add</c> has the job (<c>BullMq/intake.js</c>), a worker delivering 64 at a time with 25 attempts and
/// exponential backoff (<c>BullMq/worker.js</c>), and a redis-server of its own with its append-only file fsynced always,
/// as ours. BullMQ and ioredis are installed with npm into a temporary folder at each run (nothing of them is committed).
/// Null when <c>node</c> or <c>npm</c> is missing (<c>./bench.sh</c> installs Debian's).
/// </summary>
public sealed class BullMq : IAsyncDisposable
{
    public const string Version = "6.7.0";

    private readonly List<Process> processes = [];
    private readonly string directory;
    private readonly RedisServer redis;

    private BullMq(string directory, RedisServer redis, Uri url) => (this.directory, this.redis, Url) = (directory, redis, url);

    /// <summary>Where the intake takes POSTs.</summary>
    public Uri Url { get; }

    public static async Task<BullMq?> StartAsync(Uri receiver, Action<string> log)
    {
        if (!OnPath("node") || !OnPath("npm")) return null;
        var directory = Directory.CreateTempSubdirectory("bench-bullmq-").FullName;
        foreach (var script in new[] { "intake.js", "worker.js" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "BullMq", script), Path.Combine(directory, script));
        await RunAsync(directory, "npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", $"bullmq@{Version}", "ioredis"]);
        log($"npm installed bullmq@{Version} and ioredis");
        var redis = await RedisServer.StartAsync(durable: true);
        var port = FreePort.Next();
        var bullMq = new BullMq(directory, redis, new Uri($"http://127.0.0.1:{port}/"));
        bullMq.Start("intake.js", port.ToString(), redis.Port.ToString());
        bullMq.Start("worker.js", redis.Port.ToString(), new Uri(receiver, "bullmq").ToString());
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30));
        return bullMq;
    }

    private void Start(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node", [script, .. arguments])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"node {script} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
    }

    private static async Task RunAsync(string directory, string command, string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {await output}{await errors}");
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, command)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        await redis.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
