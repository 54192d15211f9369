using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Stops the process at start on an API key shorter than <see cref="MinLength"/> characters: a key is the only lock on
/// the API and the pages, and a short one falls to guessing. No reason was found to allow short keys (a key is pasted
/// once into a program or a browser, never typed each time), so there is no switch for them. The key itself is never named.
/// </summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public const int MinLength = 32;

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = options.Keys
            .Select((key, index) => (Key: key, Index: index))
            .Where(k => !string.IsNullOrEmpty(k.Key) && k.Key.Length < MinLength)
            .Select(k => $"{ApiKeyOptions.Section}:Keys:{k.Index} is {k.Key.Length} characters long; an API key must have at least {MinLength} "
                + "(make one with: openssl rand -base64 32).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
