using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AssistanceRouter.Grains.Channels;

/// <summary>The registry of channel kinds: adding a kind is one line here.</summary>
public static class ChannelKinds
{
    public static IServiceCollection AddChannelKinds(this IServiceCollection services) => services
        .AddDeliveryHttpClient()
        .AddChannelKind<SlackKind>()
        .AddChannelKind<EmailKind>()
        .AddChannelKind<WebhookKind>()
        .AddChannelKind<ConsoleKind>()
        .AddChannelKind<TeamsKind>()
        .AddChannelKind<DiscordKind>();

    public static IServiceCollection AddChannelKind<TKind>(this IServiceCollection services)
        where TKind : class, IChannelKind
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelKind, TKind>());
        return services;
    }
}
