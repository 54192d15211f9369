using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary>Stops the process at start on a rate that is negative or not a number, or a burst below 1.</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.PermitsPerSecond < 0 || double.IsNaN(options.PermitsPerSecond) || double.IsInfinity(options.PermitsPerSecond))
            failures.Add($"{RateLimitOptions.Section}:PermitsPerSecond is {options.PermitsPerSecond}; it must be a positive number (or 0 for no limit).");
        if (options.Burst is < 1)
            failures.Add($"{RateLimitOptions.Section}:Burst is {options.Burst}; it must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
