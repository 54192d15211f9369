namespace AssistanceRouter.Grains.Links;

/// <summary>
/// The <c>Links</c> section (and <c>Api:PublicUrl</c>): how the "Take it" links in notices are signed, how long they
/// work, and the address they point at.
/// </summary>
public sealed class LinksOptions
{
    public const string Section = "Links";

    /// <summary>Where the public URL comes from: the API's section, since the API serves the link pages.</summary>
    public const string PublicUrlKey = "Api:PublicUrl";

    public const int MinSigningKeyLength = 32;

    public static readonly TimeSpan MaxValidFor = TimeSpan.FromDays(365);

    /// <summary>The HMAC key (its UTF-8 bytes), at least 32 characters; unset: the cluster makes one and stores it.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan ValidFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The API's address as people reach it; unset: the first address the API listens on (embedded mode only).</summary>
    public string? PublicUrl { get; set; }
}
