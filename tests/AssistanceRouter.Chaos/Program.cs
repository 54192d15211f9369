namespace AssistanceRouter.Chaos;

/// <summary>
/// <c>dotnet run -c Release --project tests/AssistanceRouter.Chaos -- --requests 10000 --kill-every 10</c>
/// (also <c>--silos 3</c>, <c>--concurrency 16</c>, <c>--rate 50</c> requests a second). Exits 1 if any accepted request was lost.
/// </summary>
public static class ChaosProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = new ChaosOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--requests" => options with { Requests = int.Parse(args[i + 1]) },
                "--kill-every" => options with { KillEvery = TimeSpan.FromSeconds(double.Parse(args[i + 1])) },
                "--silos" => options with { Silos = int.Parse(args[i + 1]) },
                "--concurrency" => options with { Concurrency = int.Parse(args[i + 1]) },
                "--rate" => options with { RequestsPerSecond = double.Parse(args[i + 1]) },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --requests, --kill-every (seconds), --silos, --concurrency, --rate (requests a second)"),
            };
        }
        var result = await ChaosRun.RunAsync(options, line => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"));
        Console.WriteLine(result);
        return result.Lost == 0 && result.Delivered == result.Accepted ? 0 : 1;
    }
}
