namespace AssistanceRouter.Grains.Channels;

/// <summary>The retry schedule, from the <c>Delivery</c> configuration section; checked at start by <see cref="DeliveryOptionsValidator"/>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>The cap of the first retry's delay; each further retry doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a delivery keeps being retried before it fails (a dead letter).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one send may take before it counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends one channel grain keeps awaiting their receiver's answer at once (within its rate limit); recording an answer holds no slot.</summary>
    public int MaxConcurrentSends { get; set; } = 32;
}
