using System.Net;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>The <c>Orleans</c> configuration section: how this process joins the cluster.</summary>
public sealed class OrleansHostingOptions
{
    public const string Section = "Orleans";

    /// <summary>The API only: co-host a silo, or call an existing cluster as a client.</summary>
    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "assistance-router";

    public string ServiceId { get; set; } = "assistance-router";

    /// <summary>The address other silos reach this one at; unset: Orleans picks this host's address.</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>With Redis: listen on every address of this host rather than on the advertised one alone.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    public IPAddress? AdvertisedAddress =>
        string.IsNullOrWhiteSpace(AdvertisedIPAddress) ? null : IPAddress.Parse(AdvertisedIPAddress);
}
