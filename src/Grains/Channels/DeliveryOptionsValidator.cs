using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Channels;

/// <summary>Stops the process at start on a retry schedule that cannot work, naming the key and what it may be.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        Within(nameof(options.InitialBackoff), options.InitialBackoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), failures);
        Within(nameof(options.MaxBackoff), options.MaxBackoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(7), failures);
        Within(nameof(options.GiveUpAfter), options.GiveUpAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(365), failures);
        Within(nameof(options.AttemptTimeout), options.AttemptTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10), failures);
        if (options.MaxConcurrentSends is < 1 or > 1024)
            failures.Add($"{DeliveryOptions.Section}:MaxConcurrentSends must be 1 to 1024, not {options.MaxConcurrentSends}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Within(string key, TimeSpan value, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (value < min || value > max)
            failures.Add($"{DeliveryOptions.Section}:{key} must be a time span from {min:c} to {max:c}, not {value:c}.");
    }
}
