namespace AssistanceRouter.Bench;

/// <summary>
/// <c>./bench.sh</c> (or <c>dotnet run -c Release --project tests/AssistanceRouter.Bench -- [--duration 15] [--backlog 100000]</c>):
/// prints the benchmark's table. <c>--smoke</c> runs every step for a second or two, so that the command cannot rot.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new BenchOptions(TimeSpan.FromSeconds(15), 100_000);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--smoke" => options with { Duration = TimeSpan.FromSeconds(2), Backlog = 200 },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(args[++i])) },
                "--backlog" => options with { Backlog = int.Parse(args[++i]) },
                "--connections" => options with { Connections = int.Parse(args[++i]) },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --smoke, --duration (s), --backlog, --connections"),
            };
        }
        var figures = await Benchmark.RunAsync(options, line => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"));
        Console.WriteLine();
        Console.Write(Benchmark.Table(figures));
        return 0;
    }
}
