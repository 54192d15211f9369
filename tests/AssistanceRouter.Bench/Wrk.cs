using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AssistanceRouter.Bench;

/// <summary>Runs Debian's <c>wrk</c> against a loopback URL with a JSON POST body and reads its figures.</summary>
public static partial class Wrk
{
    public static Task<LoadResult> PostAsync(Uri url, string body, int connections, TimeSpan duration) => RunAsync(url, $$"""
        wrk.method = "POST"
        wrk.body = [[{{body}}]]
        wrk.headers["Content-Type"] = "application/json"
        """, connections, duration);

    /// <summary>Runs wrk with a Lua <paramref name="luaScript"/> of its own (one that makes each request, say).</summary>
    public static async Task<LoadResult> RunAsync(Uri url, string luaScript, int connections, TimeSpan duration)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, luaScript);
        try
        {
            var start = new ProcessStartInfo("wrk",
                ["-t2", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "-s", script, url.ToString()])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            if (wrk.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {output}{await wrk.StandardError.ReadToEndAsync()}");
            return new LoadResult(
                double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
                Latency(output, "50%"), Latency(output, "99%"),
                Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value) : 0,
                long.Parse(Requests().Match(output).Groups[1].Value));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("wrk is not installed: run ./bench.sh, which installs it.", ex);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static TimeSpan Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();
}
