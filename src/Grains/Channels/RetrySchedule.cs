namespace AssistanceRouter.Grains.Channels;

/// <summary>Exponential backoff with full jitter: retry n waits a random time in [0, min(max, initial · 2ⁿ⁻¹)].</summary>
public sealed class RetrySchedule(TimeSpan initial, TimeSpan max, Func<double> random)
{
    public RetrySchedule(DeliveryOptions options) : this(options.InitialBackoff, options.MaxBackoff, Random.Shared.NextDouble) { }

    /// <summary>The upper bound of the delay before retry <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan Ceiling(int retry)
    {
        var exponent = Math.Clamp(retry - 1, 0, 62);
        var ticks = initial.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Delay(int retry) => TimeSpan.FromTicks((long)(Ceiling(retry).Ticks * random()));
}
