using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssistanceRouter.Grains.Changes;

public static class ChangesServices
{
    /// <summary>Each silo's change buffer, which the request grain writes to, and the pump that pushes it to the API nodes.</summary>
    public static IServiceCollection AddRequestChanges(this IServiceCollection services)
    {
        services.TryAddSingleton<RequestChanges>();
        services.AddHostedService<ChangePump>();
        return services;
    }
}
