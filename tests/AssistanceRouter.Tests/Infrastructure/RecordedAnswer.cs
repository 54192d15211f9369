namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>One answer exactly as the server wrote it: status, headers and the bytes of its body.</summary>
public sealed record RecordedAnswer(string Method, string Path, int Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public override string ToString() => $"{Method} {Path} → {Status} {ContentType}: {System.Text.Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 600)])}";
}
