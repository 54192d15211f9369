namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// Tests that kill processes, load the machine or time the cluster's own failure detection: each runs with no other
/// test beside it, so that another test's load cannot push it past a time limit, and a hang fails instead of stalling CI.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone on the machine";
}

/// <summary>The <c>Category</c> trait: <c>./test.sh --fast</c> leaves out <see cref="Slow"/> tests; CI runs everything.</summary>
public static class TestCategory
{
    public const string Name = "Category";

    /// <summary>Chaos, crash, failover and benchmark runs: real processes killed and restarted, tens of seconds each.</summary>
    public const string Slow = "Slow";
}
