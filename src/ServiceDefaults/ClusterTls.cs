using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace AssistanceRouter.ServiceDefaults;

/// <summary><see cref="ClusterTlsOptions"/> as Orleans' TLS, on a silo or on a client.</summary>
public static class ClusterTls
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ClusterTlsOptions.From(configuration);
        return options.Enabled ? silo.UseTls(tls => Configure(tls, options)) : silo;
    }

    public static IClientBuilder UseClusterTls(this IClientBuilder client, IConfiguration configuration)
    {
        var options = ClusterTlsOptions.From(configuration);
        return options.Enabled ? client.UseTls(tls => Configure(tls, options)) : client;
    }

    private static void Configure(TlsOptions tls, ClusterTlsOptions options)
    {
        var certificate = LoadCertificate(options);
        var authority = LoadAuthority(options);
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Nodes are reached by address, not by a name a public CA vouches for: trust is this cluster's own certificate or CA.
        tls.RemoteCertificateValidation = (remote, _, _) => Trusted(remote, certificate, authority);
    }

    private static X509Certificate2 LoadCertificate(ClusterTlsOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path)) throw Invalid($"{ClusterTlsOptions.Section}:CertificatePath names no file: '{path}'.");
        if (options.KeyPath is { Length: > 0 } key && !File.Exists(key)) throw Invalid($"{ClusterTlsOptions.Section}:KeyPath names no file: '{key}'.");
        X509Certificate2 certificate;
        try
        {
            certificate = string.IsNullOrWhiteSpace(options.KeyPath)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
                : string.IsNullOrEmpty(options.CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(path, options.KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, options.KeyPath);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // The reason, never the password.
            throw Invalid($"{ClusterTlsOptions.Section}:CertificatePath '{path}' cannot be read with the password and key given: {ex.Message}");
        }
        if (!certificate.HasPrivateKey)
            throw Invalid($"{ClusterTlsOptions.Section}:CertificatePath holds no private key: give a .pfx with its key, or a PEM with KeyPath.");
        return certificate;
    }

    private static X509Certificate2? LoadAuthority(ClusterTlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CaCertificatePath)) return null;
        if (!File.Exists(options.CaCertificatePath))
            throw Invalid($"{ClusterTlsOptions.Section}:CaCertificatePath names no file: '{options.CaCertificatePath}'.");
        return X509CertificateLoader.LoadCertificateFromFile(options.CaCertificatePath);
    }

    /// <summary>A wrong setting: the node prints this one line and exits (see <see cref="ConfigurationErrors"/>).</summary>
    private static OptionsValidationException Invalid(string failure) =>
        new(ClusterTlsOptions.Section, typeof(ClusterTlsOptions), [failure]);

    /// <summary>A peer is one of ours: signed by our CA, or (with no CA) holding our very certificate.</summary>
    public static bool Trusted(X509Certificate2 remote, X509Certificate2 local, X509Certificate2? authority)
    {
        if (authority is null) return remote.RawDataMemory.Span.SequenceEqual(local.RawDataMemory.Span);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }
}
