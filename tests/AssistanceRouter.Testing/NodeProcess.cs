using System.Diagnostics;
using System.Net;
using System.Text;

namespace AssistanceRouter.Testing;

/// <summary>
/// A node of the product (<c>src/Api</c> or <c>src/Silo</c>, whose assemblies sit beside the caller's) as a separate
/// operating-system process, so that a test can kill it -9 the way a crash would, then start it again with the
/// same configuration (and the same ports).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly string workingDirectory = Directory.CreateTempSubdirectory("assistance-router-").FullName;
    private readonly StringBuilder output = new();
    private Process? process;

    public const string Api = "AssistanceRouter.Api.dll";
    public const string Silo = "AssistanceRouter.Silo.dll";

    private readonly string assembly;

    public NodeProcess(IDictionary<string, string> settings, string assembly = Api)
    {
        this.assembly = assembly;
        environment = new Dictionary<string, string>(settings)
        {
            ["Orleans__SiloPort"] = settings.TryGetValue("Orleans__SiloPort", out var silo) ? silo : FreePort.Next().ToString(),
            ["Orleans__GatewayPort"] = settings.TryGetValue("Orleans__GatewayPort", out var gateway) ? gateway : FreePort.Next().ToString(),
            ["Logging__LogLevel__Default"] = settings.TryGetValue("Logging__LogLevel__Default", out var level) ? level : "Warning",
            ["SLACK_WEBHOOK_URL"] = settings.TryGetValue("SLACK_WEBHOOK_URL", out var slack) ? slack : "",
        };
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        Http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url { get; }

    /// <summary>The environment the next start gets: change a setting here, then restart, as an operator would.</summary>
    public IDictionary<string, string> Settings => environment;

    public HttpClient Http { get; }

    /// <summary>The process's resident memory now (Linux), for memory-per-request figures.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{process!.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var node = Launch();
        await Eventually.Until(async () =>
        {
            if (node.HasExited) throw new InvalidOperationException($"{assembly} exited with {node.ExitCode}:\n{Output}");
            try
            {
                using var ready = await Http.GetAsync("/health/ready");
                return (HttpStatusCode?)ready.StatusCode;
            }
            catch (HttpRequestException)
            {
                return null; // not listening yet
            }
        }, status => (int?)status is >= 200 and < 300, $"{assembly} to become ready", timeout ?? TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200),
            status => $"/health/ready answered {status?.ToString() ?? "nothing"}; the node printed:\n{Output}");
    }

    /// <summary>
    /// Runs a node that is expected to stop by itself (a configuration error) and returns its exit code and everything it
    /// printed, standard output and standard error together, without the blank line the end of each stream adds.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan? timeout = null)
    {
        var node = Launch();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await node.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{assembly} did not exit by itself:\n{Output}");
        }
        node.WaitForExit(); // the output streams are read to their end
        return (node.ExitCode, string.Join('\n', Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)));
    }

    private Process Launch()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, assembly);
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", Url.ToString()])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or <c>kill -9</c>.</summary>
    public void Kill()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    /// <summary>SIGTERM, as a service manager stops a process: the host shuts down gracefully; waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan? timeout = null)
    {
        if (process is null) return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(wait.Token);
        process.Dispose();
        process = null;
    }

    /// <summary>
    /// Stops the node as a service manager would, so that its shutdown runs to the end (and writes its code coverage,
    /// when <c>./test.sh --coverage</c> collects it: a killed process keeps what it covered to itself); killed if it
    /// has not stopped within 20 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            try
            {
                await TerminateAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }
        Kill();
        Http.Dispose();
        try { Directory.Delete(workingDirectory, recursive: true); } catch (IOException) { }
    }
}
