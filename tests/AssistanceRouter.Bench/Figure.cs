namespace AssistanceRouter.Bench;

/// <summary>A row of the table: what was measured, the figure, and what it should be.</summary>
public sealed record Figure(string Name, string Value, string Target);
