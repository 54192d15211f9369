using System.ComponentModel.DataAnnotations;

namespace AssistanceRouter.Grains.Channels;

/// <summary>The retry schedule, from the <c>Delivery</c> configuration section.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>The cap of the first retry's delay; each further retry doubles it, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a delivery keeps being retried before it fails (a dead letter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one send may take before it counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends one channel grain keeps in flight at once (within its rate limit).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentSends { get; set; } = 32;
}
