namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// A token bucket driven by the caller's clock, so that it runs under a fake <see cref="TimeProvider"/>.
/// Holds up to <c>burst</c> tokens, refilled at <c>ratePerSecond</c>; a pause (a receiver's Retry-After) empties it.
/// </summary>
public sealed class TokenBucket(double ratePerSecond, int burst)
{
    private double tokens = burst;
    private DateTimeOffset? updatedAt;

    public DateTimeOffset PausedUntil { get; private set; } = DateTimeOffset.MinValue;

    public bool TryTake(DateTimeOffset now)
    {
        Refill(now);
        if (tokens < 1) return false; // also while paused: a pause empties the bucket, which refills only from its end
        tokens -= 1;
        return true;
    }

    /// <summary>When the next token can be taken.</summary>
    public DateTimeOffset NextAvailableAt(DateTimeOffset now)
    {
        Refill(now);
        var from = updatedAt!.Value; // now, or the end of a pause still ahead, where refilling starts
        return from + TimeSpan.FromSeconds(Math.Max(0, 1 - tokens) / ratePerSecond);
    }

    /// <summary>Sends nothing before <paramref name="until"/>, then restarts at the steady rate, without a burst.</summary>
    public void PauseUntil(DateTimeOffset now, DateTimeOffset until)
    {
        Refill(now);
        if (until > PausedUntil) PausedUntil = until;
        tokens = 0;
        // From the end of the longest pause asked for: a shorter Retry-After during it must not refill the bucket early.
        updatedAt = PausedUntil;
    }

    private void Refill(DateTimeOffset now)
    {
        if (updatedAt is { } last && now > last)
            tokens = Math.Min(burst, tokens + (now - last).TotalSeconds * ratePerSecond);
        if (updatedAt is null || now > updatedAt) updatedAt = now;
    }
}
