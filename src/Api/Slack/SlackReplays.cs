namespace AssistanceRouter.Api.Slack;

/// <summary>
/// Signatures already acted on, kept as long as their timestamp could still pass (<see cref="SlackSignature.MaxAge"/>
/// either way): the same signed body again is refused, so that a replayed press changes nothing twice. Per node, as a
/// replay across nodes meets the request grain's own rules (taking what one has is unchanged).
/// </summary>
public sealed class SlackReplays(TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="signature"/> is seen within its window; false for a replay.</summary>
    public bool FirstTime(string signature)
    {
        var now = time.GetUtcNow();
        lock (seen)
        {
            if (seen.Count >= 1024) // bounded by the rate limit; swept only when it grows
                foreach (var old in seen.Where(s => s.Value < now).Select(s => s.Key).ToArray()) seen.Remove(old);
            if (seen.TryGetValue(signature, out var until) && until >= now) return false;
            seen[signature] = now + 2 * SlackSignature.MaxAge;
            return true;
        }
    }
}
