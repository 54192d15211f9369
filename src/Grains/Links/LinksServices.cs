using AssistanceRouter.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssistanceRouter.Grains.Links;

public static class LinksServices
{
    /// <summary>Silos make links (they send the notices); API nodes check them. Both read the same settings.</summary>
    public static IServiceCollection AddTakeLinks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<LinksOptions, LinksOptionsValidator>(LinksOptions.Section)
            .PostConfigure<IConfiguration>((o, configuration) => o.PublicUrl ??= configuration[LinksOptions.PublicUrlKey]);
        services.TryAddSingleton<TakeLinks>();
        return services;
    }
}
