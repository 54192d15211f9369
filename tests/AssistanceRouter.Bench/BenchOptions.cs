namespace AssistanceRouter.Bench;

/// <summary>How long and how hard the benchmark loads each node.</summary>
/// <param name="Duration">How long each wrk load runs.</param>
/// <param name="Backlog">Requests left waiting behind a 1-a-second channel for figures 4 and 5.</param>
public sealed record BenchOptions(TimeSpan Duration, int Backlog, int Connections = 64);
