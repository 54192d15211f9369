using AssistanceRouter.Chaos;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>The short form of the chaos run (the long one is in docs/operations.md).</summary>
[Collection(RunsAlone.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Silos_killed_at_random_while_requests_flow_lose_nothing()
    {
        var result = await ChaosRun.RunAsync(new ChaosOptions(Requests: 300, KillEvery: TimeSpan.FromSeconds(2), MaxKills: 2, RequestsPerSecond: 50), output.WriteLine)
            .WaitAsync(TimeSpan.FromMinutes(5));

        output.WriteLine(result.ToString());
        Assert.Equal(300, result.Accepted);
        Assert.Equal(0, result.Lost);
        Assert.Equal(result.Accepted, result.Delivered);
        Assert.True(result.Kills == 2, $"{result.Kills} silos were killed instead of 2: the run proves less than it claims");
    }
}
