using AssistanceRouter.Bench;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>The benchmark's smoke form: every step runs for a second or two. It checks that the command works, never how fast.</summary>
[Collection(RunsAlone.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BenchmarkSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_benchmark_runs_every_step_and_prints_its_nine_figures_Alertmanagers_and_BullMQs_too()
    {
        var figures = await Benchmark.RunAsync(new BenchOptions(TimeSpan.FromSeconds(1), Backlog: 100), output.WriteLine)
            .WaitAsync(TimeSpan.FromMinutes(6));

        output.WriteLine(Benchmark.Table(figures));
        // The test command installs prometheus-alertmanager, node and npm, so their figures are measured here too, not skipped.
        Assert.Equal(9, figures.Count);
        Assert.All(figures, f => Assert.Matches(@"^\d", f.Value));
        // Requests never call the router; only the caches' once-a-minute refresh may land in the window.
        var routerCallsPerRequest = double.Parse(figures.Single(f => f.Name.StartsWith("6.", StringComparison.Ordinal)).Value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(routerCallsPerRequest < 0.01, $"{routerCallsPerRequest} router calls per request");
    }
}
