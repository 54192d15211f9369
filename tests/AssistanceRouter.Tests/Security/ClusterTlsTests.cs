using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AssistanceRouter.Grains.Routing;
using AssistanceRouter.ServiceDefaults;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// A cluster configured with <c>Orleans:Tls</c> (certificates made here, signed by a CA made here) answers an Orleans
/// client that presents a certificate its CA signed, and never one without TLS or with a certificate of its own making.
/// </summary>
public sealed class ClusterTlsTests : IAsyncLifetime
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("cluster-tls-");
    private readonly int gatewayPort = FreePort.Next();
    private TestCertificates certificates = null!;
    private ApiFactory api = null!;

    public async Task InitializeAsync()
    {
        certificates = TestCertificates.Create(folder.FullName);
        api = new ApiFactory(new Dictionary<string, string?>(certificates.Settings(certificates.Node)) { ["Orleans:GatewayPort"] = gatewayPort.ToString() });
        _ = api.Server;
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_client_with_a_certificate_the_cluster_trusts_gets_answers()
    {
        var snapshot = await CallRouter(certificates.Settings(certificates.Client));

        Assert.Contains(snapshot.Routes, r => r.Topic == "sales");
    }

    [Fact]
    public async Task A_client_without_TLS_never_gets_an_answer()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => CallRouter(new Dictionary<string, string?>()));
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_its_own_making_never_gets_an_answer()
    {
        // The stranger trusts any server: only the cluster's refusal can stop it.
        var stranger = X509CertificateLoader.LoadPkcs12FromFile(certificates.Stranger, TestCertificates.Password);
        await Assert.ThrowsAnyAsync<Exception>(() => CallRouter(
            new Dictionary<string, string?>(), client => client.UseTls(stranger, tls => tls.AllowAnyRemoteCertificate())));
    }

    [Fact]
    public async Task The_API_itself_still_works_over_its_TLS_cluster()
    {
        var (response, _) = await api.SubmitAsync("sales", "help over TLS");

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public void Without_a_CA_a_peer_must_present_this_nodes_own_certificate()
    {
        var node = X509CertificateLoader.LoadPkcs12FromFile(certificates.Node, TestCertificates.Password);
        var stranger = X509CertificateLoader.LoadPkcs12FromFile(certificates.Stranger, TestCertificates.Password);

        Assert.True(ClusterTls.Trusted(node, node, null));
        Assert.False(ClusterTls.Trusted(stranger, node, null));
    }

    /// <summary>Connects a bare Orleans client to the gateway and reads the routing table, giving up after 15 s (with the right certificate it takes about one).</summary>
    private async Task<RoutingSnapshot> CallRouter(IDictionary<string, string?> settings, Action<IClientBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort, "assistance-router", "assistance-router")
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10))
            .UseClusterTls(builder.Configuration)
            .Configure(configure));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await host.StartAsync(timeout.Token);
            return await host.Services.GetRequiredService<IClusterClient>().GetGrain<ITopicRouterGrain>(0).GetSnapshot().WaitAsync(timeout.Token);
        }
        finally
        {
            try { await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
        }
    }
}

/// <summary>A CA, a node and a client certificate it signs, and a stranger's self-signed one, as PKCS#12 files.</summary>
public sealed record TestCertificates(string Authority, string Node, string Client, string Stranger)
{
    public const string Password = "test-password";

    public static TestCertificates Create(string folder)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=AssistanceRouter test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        var authority = Path.Combine(folder, "ca.crt");
        File.WriteAllText(authority, ca.ExportCertificatePem());

        return new TestCertificates(authority, Signed("node", ca, folder), Signed("client", ca, folder), SelfSigned("stranger", folder));
    }

    public IDictionary<string, string?> Settings(string certificate, bool withAuthority = true) => new Dictionary<string, string?>
    {
        ["Orleans:Tls:CertificatePath"] = certificate,
        ["Orleans:Tls:CertificatePassword"] = Password,
        ["Orleans:Tls:CaCertificatePath"] = withAuthority ? Authority : null,
    };

    private static CertificateRequest Request(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        return request;
    }

    private static string Signed(string name, X509Certificate2 ca, string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = Request(name, key).Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return Write(withKey, name, folder);
    }

    private static string SelfSigned(string name, string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = Request(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Write(certificate, name, folder);
    }

    private static string Write(X509Certificate2 certificate, string name, string folder)
    {
        var path = Path.Combine(folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }
}

internal static class ClientBuilderExtensions
{
    public static IClientBuilder Configure(this IClientBuilder client, Action<IClientBuilder>? configure)
    {
        configure?.Invoke(client);
        return client;
    }
}

/// <summary>Two silos and a client-mode API, all over mutual TLS with one shared certificate, form one cluster that delivers.</summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class ClusterTlsBetweenSilosTests
{
    [Fact]
    public async Task Silos_with_the_shared_certificate_join_each_other_and_a_client_mode_API_submits_through_them()
    {
        var folder = Directory.CreateTempSubdirectory("cluster-tls-");
        try
        {
            var certificates = TestCertificates.Create(folder.FullName);
            await using var redis = await RedisServer.StartAsync();
            var shared = new Dictionary<string, string?>(certificates.Settings(certificates.Node, withAuthority: false))
            {
                ["ConnectionStrings:Redis"] = redis.ConnectionString,
                ["Orleans:ClusterId"] = $"tls-{Guid.NewGuid():N}",
                ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
                ["Routing:Topics:sales:0"] = "console",
            };
            var siloPort = FreePort.Next();
            await using var first = new ApiFactory(new Dictionary<string, string?>(shared) { ["Orleans:SiloPort"] = siloPort.ToString() });
            _ = first.Server;
            await using var second = new ApiFactory(shared);
            _ = second.Server;
            await using var client = new ApiFactory(new Dictionary<string, string?>(shared) { ["Orleans:Mode"] = "Client" });
            _ = client.Server;

            var management = first.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            await Eventually.Until(async () => (await management.GetHosts(onlyActive: true)).Count, silos => silos >= 2, "the second silo to join over TLS",
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), silos => $"{silos} active silos");
            // The silo port itself speaks only mutual TLS: a handshake with the cluster's certificate succeeds, one without fails.
            var node = X509CertificateLoader.LoadPkcs12FromFile(certificates.Node, TestCertificates.Password);
            Assert.True(await Handshake(siloPort, node));
            Assert.False(await Handshake(siloPort, null));
            var (response, request) = await client.SubmitAsync("sales", "over TLS all the way");

            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            await client.WaitForAsync(request!.Id, r => r.Status == AssistanceRouter.Grains.AssistanceRequests.RequestStatus.Delivered, TimeSpan.FromSeconds(60));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Whether a TLS handshake (and a first read, where a refused client certificate shows) succeeds.</summary>
    private static async Task<bool> Handshake(int port, X509Certificate2? clientCertificate)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "silo",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            }, timeout.Token);
            // With TLS 1.3 a server refuses the client's certificate after the client's side of the handshake: read to see it.
            var read = tls.ReadAsync(new byte[1], timeout.Token).AsTask();
            var done = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2), timeout.Token));
            return done != read || read.Result > 0;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
