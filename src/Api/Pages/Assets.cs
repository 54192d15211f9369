using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.Api.Pages;

/// <summary>
/// The pages' styles, scripts and icon, built into the assembly (no build step, nothing to deploy beside the binary)
/// and served under <c>/assets/</c> with a content hash in the URL, so that browsers may keep them for good.
/// </summary>
public static class Assets
{
    public const string Prefix = "/assets";

    private const string ResourcePrefix = "AssistanceRouter.Api.Pages.Assets.";

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    /// <summary>The URL of an asset, its version in the query so that a new build is never served from an old cache.</summary>
    public static string Path(string name) => $"{Prefix}/{name}?v={Files[name].Version}";

    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Prefix + "/{name}", [HttpMethods.Get, HttpMethods.Head], Get).ExcludeFromDescription();
        return app;
    }

    private static Results<FileContentHttpResult, NotFound> Get(string name, HttpContext context)
    {
        if (!Files.TryGetValue(name, out var asset)) return TypedResults.NotFound();
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.ETag = $"\"{asset.Version}\"";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var content = copy.ToArray();
                var contentType = System.IO.Path.GetExtension(n) switch
                {
                    ".css" => "text/css; charset=utf-8",
                    ".js" => "text/javascript; charset=utf-8",
                    ".svg" => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                return new Asset(content, contentType, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
            });
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
