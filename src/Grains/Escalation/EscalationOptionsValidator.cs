using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Escalation;

/// <summary>Stops the process at start on a default escalation policy that cannot work, naming the key and what it may be.</summary>
public sealed class EscalationOptionsValidator : IValidateOptions<EscalationOptions>
{
    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        const string section = EscalationOptions.Section;
        var failures = new List<string>();
        if (options.RenotifyAfter < TimeSpan.Zero || options.RenotifyAfter > TimeSpan.FromDays(30))
            failures.Add($"{section}:RenotifyAfter must be a time span from 00:00:00 (off) to 30.00:00:00, not {options.RenotifyAfter:c}.");
        if (options.MaxRenotify is < 0 or > EscalationPolicy.MaxRepeat)
            failures.Add($"{section}:MaxRenotify must be 0 to {EscalationPolicy.MaxRepeat}, not {options.MaxRenotify}.");
        if (options.ReminderPeriod < TimeSpan.FromSeconds(1) || options.ReminderPeriod > TimeSpan.FromDays(1))
            failures.Add($"{section}:ReminderPeriod must be a time span from 00:00:01 to 1.00:00:00, not {options.ReminderPeriod:c}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
