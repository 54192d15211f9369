namespace AssistanceRouter.Grains.Keys;

/// <summary>
/// The keys every silo and API node must share, made once and kept in grain storage: the links' signing key (unless
/// <c>Links:SigningKey</c> is set) and the key ring that protects browser sign-in cookies and anti-forgery tokens.
/// Nodes cache what they read; the grain is asked at most a few times a day.
/// </summary>
public interface IClusterKeysGrain : IGrainWithIntegerKey
{
    /// <summary>32 random bytes made on the first call, the same for every node and every call after it.</summary>
    Task<byte[]> GetLinkKey();

    Task<StoredKey[]> GetKeyRing();

    /// <summary>Adds (or replaces, by name) one key of the browser key ring, as ASP.NET Core Data Protection wrote it.</summary>
    Task AddToKeyRing(StoredKey key);
}

/// <summary>One key of the browser key ring: the XML element Data Protection made, under its name.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredKey([property: Id(0)] string Name, [property: Id(1)] string Xml);
