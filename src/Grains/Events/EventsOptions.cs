namespace AssistanceRouter.Grains.Events;

/// <summary>The <c>Events</c> section: where every lifecycle event of every request goes, signed (Standard Webhooks).</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>The bot's endpoint; unset: no events are sent.</summary>
    public string? Url { get; set; }

    /// <summary><c>whsec_</c> + base64 of 24 to 64 bytes, as Standard Webhooks write it (<see cref="Channels.Senders.WebhookSecret"/>); unset: events go unsigned.</summary>
    public string? Secret { get; set; }

    /// <summary>The event types to send; empty: all of them.</summary>
    public List<string> Types { get; set; } = [];

    public double RatePerSecond { get; set; } = 50;

    public int Burst { get; set; } = 50;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public bool Wants(string type) => Enabled && (Types.Count == 0 || Types.Contains(type, StringComparer.OrdinalIgnoreCase));
}
