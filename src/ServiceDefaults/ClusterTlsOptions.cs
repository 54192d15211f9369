using Microsoft.Extensions.Configuration;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// <c>Orleans:Tls</c>: mutual TLS on the cluster's own ports (silo to silo, client to gateway). Off unless
/// <see cref="CertificatePath"/> is set; then every connection needs a certificate this node trusts, both ways.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "Orleans:Tls";

    /// <summary>This node's certificate with its private key: a PKCS#12 file (.pfx/.p12), or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password, or the PEM key's.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// The certificate authority that signs every node's certificate (PEM or DER). Unset: every node uses the same
    /// certificate, and a peer is trusted when it presents exactly that one.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    public static ClusterTlsOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterTlsOptions>() ?? new();
}
