using System.Diagnostics;

namespace AssistanceRouter.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian's; <c>./test.sh</c> installs it) on a free loopback port, with no persistence:
/// each test gets its own, and can stop it to play a Redis outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.RestartAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        Stop();
        var start = new ProcessStartInfo("redis-server", ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
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

    /// <summary>Kills the server at once (SIGKILL): everything in it is lost, as in a crash of an unpersisted Redis.</summary>
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
        return ValueTask.CompletedTask;
    }
}
