namespace AssistanceRouter.Api.Hosting;

/// <summary><c>Api:RateLimit</c>: requests each client may make, off unless <see cref="PermitsPerSecond"/> is set.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Api:RateLimit";

    /// <summary>Sustained requests a second per client; unset (or 0): no limit.</summary>
    public double PermitsPerSecond { get; set; }

    /// <summary>Requests a client may make at once after a quiet spell; unset: one second's worth (at least 1).</summary>
    public int? Burst { get; set; }

    public bool Enabled => PermitsPerSecond > 0;

    public int EffectiveBurst => Burst ?? Math.Max(1, (int)Math.Ceiling(PermitsPerSecond));
}
