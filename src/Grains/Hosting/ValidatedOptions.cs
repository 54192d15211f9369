using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Hosting;

public static class ValidatedOptions
{
    /// <summary>
    /// Wrong settings stop the process at start with one line naming the key (see ServiceDefaults' ConfigurationErrors):
    /// every options class has an <see cref="IValidateOptions{TOptions}"/> and is checked on start.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }
}
