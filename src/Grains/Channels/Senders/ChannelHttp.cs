using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>What the HTTP-based channel kinds share: the pooled HttpClient and reading a URL setting.</summary>
public static class ChannelHttp
{
    public const string ClientName = "channels";

    public static HttpClient Client(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>The http(s) URL in the channel's <paramref name="key"/> setting, or why the channel cannot send.</summary>
    public static (Uri? Url, string? Problem) Url(ChannelSettings channel, string key, string? value, string? alias = null)
    {
        if (string.IsNullOrWhiteSpace(value))
            return (null, $"channel '{channel.Name}' is not configured: set Channels__{channel.Section.Key}__{key}{(alias is null ? "" : " or " + alias)}");
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            return (null, $"channel '{channel.Name}' has an invalid {key}: '{value}' is not an http(s) URL");
        return (url, null);
    }
}
