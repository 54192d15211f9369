using System.Security.Authentication;
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
    public async Task A_client_without_TLS_is_refused_by_the_gateways_TLS_and_never_gets_an_answer()
    {
        var refusal = await RefusedAtTheGateway(new Dictionary<string, string?>());

        Assert.IsType<AuthenticationException>(refusal.Exception); // the gateway's TLS, read bytes that are no TLS
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_its_own_making_is_refused_by_the_gateways_TLS_and_never_gets_an_answer()
    {
        // The stranger trusts any server: only the cluster's refusal can stop it.
        var stranger = X509CertificateLoader.LoadPkcs12FromFile(certificates.Stranger, TestCertificates.Password);

        var refusal = await RefusedAtTheGateway(new Dictionary<string, string?>(), client => client.UseTls(stranger, tls => tls.AllowAnyRemoteCertificate()));

        Assert.Contains("remote certificate was rejected", Assert.IsType<AuthenticationException>(refusal.Exception).Message);
    }

    /// <summary>
    /// Starts a client and waits for the node to log that its TLS refused it: neither a timeout nor a cluster that is
    /// down can log that. The client has no answer by then, and none once stopped (its TLS was refused on every try).
    /// </summary>
    private async Task<LogEntry> RefusedAtTheGateway(IDictionary<string, string?> settings, Action<IClientBuilder>? configure = null)
    {
        using var stop = new CancellationTokenSource();
        var call = CallRouter(settings, configure, stop.Token);
        var refusal = await api.Logs.WaitForAsync(e => e.Category == "Orleans.Connections.Security.TlsServerConnectionMiddleware" && e.Exception is not null, TimeSpan.FromSeconds(30));
        Assert.False(call.IsCompletedSuccessfully, "the client got an answer");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        return refusal;
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
    private async Task<RoutingSnapshot> CallRouter(IDictionary<string, string?> settings, Action<IClientBuilder>? configure = null, CancellationToken stop = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort, "assistance-router", "assistance-router")
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10))
            .UseClusterTls(builder.Configuration)
            .Configure(configure));
        using var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
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
            // The silo port itself speaks only mutual TLS: a connection without the cluster's certificate is refused, and
            // one with it, opened before, is still open after that refusal.
            var node = X509CertificateLoader.LoadPkcs12FromFile(certificates.Node, TestCertificates.Password);
            using (var trusted = await TlsConnection.OpenAsync(siloPort, node))
            {
                await TlsConnection.AssertRefusedAsync(siloPort, null);
                Assert.True(trusted.StillOpen, "the silo closed the connection that presented the cluster's certificate");
            }
            var (response, request) = await client.SubmitAsync("sales", "over TLS all the way");

            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            await client.WaitForAsync(request!.Id, r => r.Status == AssistanceRouter.Grains.AssistanceRequests.RequestStatus.Delivered, TimeSpan.FromSeconds(60));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

/// <summary>A TLS connection to a silo port, as a peer that presents <c>clientCertificate</c> (or none) would open it.</summary>
internal sealed class TlsConnection(System.Net.Sockets.TcpClient tcp, System.Net.Security.SslStream tls) : IDisposable
{
    private System.Net.Security.SslStream Tls { get; } = tls;

    public static async Task<TlsConnection> OpenAsync(int port, X509Certificate2? clientCertificate)
    {
        var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "silo",
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        }, timeout.Token);
        return new TlsConnection(tcp, tls);
    }

    /// <summary>
    /// The handshake fails, or (TLS 1.3, where the server judges the client's certificate after the client's side of the
    /// handshake) the first read shows the server's refusal. Waiting out the deadline is a failure, not a refusal.
    /// </summary>
    public static async Task AssertRefusedAsync(int port, X509Certificate2? clientCertificate)
    {
        TlsConnection connection;
        try
        {
            connection = await OpenAsync(port, clientCertificate);
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
            return;
        }
        using (connection)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                Assert.Equal(0, await connection.Tls.ReadAsync(new byte[1], timeout.Token)); // closed by the server
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
            {
            }
        }
    }

    /// <summary>Neither closed nor reset by the server, as far as the socket can tell now.</summary>
    public bool StillOpen => !(tcp.Client.Poll(0, System.Net.Sockets.SelectMode.SelectRead) && tcp.Client.Available == 0);

    public void Dispose()
    {
        Tls.Dispose();
        tcp.Dispose();
    }
}
