namespace AssistanceRouter.Grains.Keys;

/// <summary>
/// The keys every silo and API node must share, made once and kept in grain storage: the links' signing key (unless
/// <c>Links:SigningKey</c> is set), the installation's id, and the key ring that protects browser sign-in cookies and
/// anti-forgery tokens.
/// Nodes cache what they read; the grain is asked at most a few times a day.
/// </summary>
public interface IClusterKeysGrain : IGrainWithIntegerKey
{
    /// <summary>32 random bytes made on the first call, the same for every node and every call after it.</summary>
    Task<byte[]> GetLinkKey();

    /// <summary>
    /// This installation's id: random, made on the first call and the same for every node and call after it. It is part
    /// of every id the installation sends (Message-Ids, webhook-ids), so that two installations never send the same id
    /// for different messages, even for requests whose ids come from the same Idempotency-Key.
    /// </summary>
    Task<string> GetInstallationId();

    Task<StoredKey[]> GetKeyRing();

    /// <summary>Adds (or replaces, by name) one key of the browser key ring, as ASP.NET Core Data Protection wrote it.</summary>
    Task AddToKeyRing(StoredKey key);
}

/// <summary>One key of the browser key ring: the XML element Data Protection made, under its name.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredKey([property: Id(0)] string Name, [property: Id(1)] string Xml);
