using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Events;

/// <summary>Stops the process at start on an events endpoint, secret, type or rate that cannot work.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        const string section = EventsOptions.Section;
        var failures = new List<string>();
        if (options.Enabled && !(Uri.TryCreate(options.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            failures.Add($"{section}:Url must be an absolute http or https URL, not '{options.Url}'.");
        if (!WebhookSecret.TryRead(options.Secret, out _))
            failures.Add($"{section}:Secret must be {WebhookSecret.Rule}."); // never the secret itself
        foreach (var type in options.Types.Where(t => !EventTypes.All.Contains(t, StringComparer.OrdinalIgnoreCase)))
            failures.Add($"{section}:Types lists '{type}', which is not an event type; use {string.Join(", ", EventTypes.All)}.");
        if (!(options.RatePerSecond > 0 && double.IsFinite(options.RatePerSecond)))
            failures.Add($"{section}:RatePerSecond must be a positive number, not {options.RatePerSecond}.");
        if (options.Burst < 1)
            failures.Add($"{section}:Burst must be at least 1, not {options.Burst}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
