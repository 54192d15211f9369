using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Links;

public sealed class LinksOptionsValidator : IValidateOptions<LinksOptions>
{
    public ValidateOptionsResult Validate(string? name, LinksOptions options)
    {
        const string section = LinksOptions.Section;
        var failures = new List<string>();
        if (options.SigningKey is { } key && key.Length < LinksOptions.MinSigningKeyLength)
            failures.Add($"{section}:SigningKey must be at least {LinksOptions.MinSigningKeyLength} characters (for example from 'openssl rand -base64 32'); unset, the cluster makes one."); // never the key itself
        if (options.ValidFor <= TimeSpan.Zero || options.ValidFor > LinksOptions.MaxValidFor)
            failures.Add($"{section}:ValidFor must be more than 00:00:00 and at most {LinksOptions.MaxValidFor.TotalDays:0} days, not {options.ValidFor}.");
        if (!string.IsNullOrWhiteSpace(options.PublicUrl)
            && !(Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            failures.Add($"{LinksOptions.PublicUrlKey} must be an absolute http or https URL, not '{options.PublicUrl}'.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
