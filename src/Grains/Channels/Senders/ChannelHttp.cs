namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>The HttpClient the HTTP-based channels share (pooled connections through IHttpClientFactory).</summary>
public static class ChannelHttp
{
    public const string ClientName = "channels";
}
