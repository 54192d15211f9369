using AssistanceRouter.Grains.Hosting;

namespace AssistanceRouter.Api.Inbox;

public static class InboxSetup
{
    /// <summary>The inbox's settings, this node's projection of the requests, its page streams, and its subscription to the cluster's changes.</summary>
    public static IServiceCollection AddInbox(this IServiceCollection services)
    {
        services.AddValidatedOptions<InboxOptions, InboxOptionsValidator>(InboxOptions.Section);
        services.AddSingleton<InboxProjection>();
        services.AddSingleton<InboxStreams>();
        services.AddSingleton<InboxFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxFeed>());
        return services;
    }
}
