using System.Text;
using AssistanceRouter.Grains.Keys;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Links;

/// <summary>
/// Makes and checks the "Take it" links of notices, on every node with the same key: <see cref="LinksOptions.SigningKey"/>
/// when set, else the one the cluster made and stored (<see cref="IClusterKeysGrain"/>), read once and cached.
/// </summary>
public sealed class TakeLinks(IGrainFactory grains, IOptions<LinksOptions> options, TimeProvider time, ILogger<TakeLinks> logger)
{
    public const string PathPrefix = "/take/";

    private readonly LinksOptions options = options.Value;
    private readonly SemaphoreSlim loading = new(1, 1);
    private byte[]? key = options.Value.SigningKey is { Length: > 0 } configured ? Encoding.UTF8.GetBytes(configured) : null;
    private bool warnedNoUrl;

    /// <summary>
    /// Where links point: <c>Api:PublicUrl</c>, else what the embedded API sets once it listens. A silo of a cluster
    /// knows no API address of its own, so there the setting is needed.
    /// </summary>
    public Uri? PublicUrl { get; set; } = string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? null : new Uri(options.Value.PublicUrl);

    /// <summary>
    /// The link for a notice of <paramref name="requestId"/> on <paramref name="channel"/>, valid for
    /// <see cref="LinksOptions.ValidFor"/> from now; null (the notice goes without one, and the log says why) when no
    /// public URL is known or the key cannot be read.
    /// </summary>
    public async Task<string?> UrlAsync(Guid requestId, string channel)
    {
        if (PublicUrl is not { } baseUrl)
        {
            if (!warnedNoUrl)
            {
                warnedNoUrl = true;
                logger.LogWarning("Notices go without a Take it link: set Api:PublicUrl (Api__PublicUrl) to the address people reach the API at");
            }
            return null;
        }
        try
        {
            var token = LinkTokens.Sign(await KeyAsync(), new TakeLink(requestId, channel, time.GetUtcNow() + options.ValidFor));
            return baseUrl.AbsoluteUri.TrimEnd('/') + PathPrefix + token;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not read the link signing key; the notice of request {RequestId} on {Channel} goes without a Take it link", requestId, channel);
            return null;
        }
    }

    public async Task<(LinkCheck Check, TakeLink? Link)> VerifyAsync(string token) =>
        LinkTokens.Verify(await KeyAsync(), token, time.GetUtcNow());

    private async Task<byte[]> KeyAsync()
    {
        if (Volatile.Read(ref key) is { } known) return known;
        await loading.WaitAsync();
        try
        {
            return key ??= await grains.GetGrain<IClusterKeysGrain>(0).GetLinkKey();
        }
        finally
        {
            loading.Release();
        }
    }
}
