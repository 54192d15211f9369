namespace AssistanceRouter.Bench;

/// <summary>What one wrk run measured.</summary>
public sealed record LoadResult(double RequestsPerSecond, TimeSpan P50, TimeSpan P99, long Non2xx, long Requests);
