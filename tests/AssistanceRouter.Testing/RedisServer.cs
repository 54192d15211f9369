using System.Diagnostics;

namespace AssistanceRouter.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian's; <c>./test.sh</c> installs it) on a free loopback port, with no persistence
/// unless asked: each test gets its own, and can stop it to play a Redis outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? process;

    /// <summary>Where a durable server keeps its append-only file; null when nothing is persisted.</summary>
    private string? dataDirectory;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    /// <param name="durable">
    /// Persist as <c>docker-compose.yml</c> does: an append-only file fsynced before every answer (for benchmarks that
    /// claim durability); otherwise nothing is written to disk.
    /// </param>
    public static async Task<RedisServer> StartAsync(bool durable = false)
    {
        var server = new RedisServer();
        if (durable) server.dataDirectory = Directory.CreateTempSubdirectory("redis-").FullName;
        await server.RestartAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        Stop();
        string[] persistence = dataDirectory is null
            ? ["--appendonly", "no"]
            : ["--appendonly", "yes", "--appendfsync", "always", "--dir", dataDirectory];
        var start = new ProcessStartInfo("redis-server", ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", .. persistence])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run the tests with ./test.sh, which installs it.", ex);
        }
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        await FreePort.WaitUntilListeningAsync(Port);
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open but nothing answers, as in a network blip.</summary>
    public Task PauseAsync() => Signal("STOP");

    /// <summary>Lets a paused server go on (SIGCONT), its data intact.</summary>
    public Task ResumeAsync() => Signal("CONT");

    private async Task Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process!.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills the server at once (SIGKILL), as in a crash: what it did not persist is lost.</summary>
    public void Stop()
    {
        if (process is { HasExited: false }) process.Kill();
        process?.WaitForExit();
        process?.Dispose();
        process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        if (dataDirectory is not null) Directory.Delete(dataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
