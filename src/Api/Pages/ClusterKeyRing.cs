using System.Xml.Linq;
using AssistanceRouter.Grains.Keys;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AssistanceRouter.Api.Pages;

/// <summary>
/// Where ASP.NET Core Data Protection keeps its keys (those that protect sign-in cookies and anti-forgery tokens):
/// in the cluster's storage through <see cref="IClusterKeysGrain"/>, so that a cookie one API node made opens every
/// other node, and survives restarts. Data Protection reads the ring rarely (at first use, then about daily, or on
/// meeting a key it does not know) and caches it, and its interface is synchronous, so the grain call is waited on.
/// </summary>
public sealed class ClusterKeyRing(IGrainFactory grains) : IXmlRepository
{
    private IClusterKeysGrain Keys => grains.GetGrain<IClusterKeysGrain>(0);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. Keys.GetKeyRing().GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        Keys.AddToKeyRing(new StoredKey(friendlyName, element.ToString(SaveOptions.DisableFormatting))).GetAwaiter().GetResult();
}
