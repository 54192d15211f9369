using System.Net;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Hosting;

/// <summary>Ports, names and the advertised address of <c>Orleans</c>, checked before the process builds anything on them.</summary>
public sealed class OrleansHostingOptionsValidator : IValidateOptions<OrleansHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansHostingOptions options)
    {
        const string section = OrleansHostingOptions.Section;
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535)
            failures.Add($"{section}:SiloPort must be a port from 1 to 65535, not {options.SiloPort}.");
        if (options.GatewayPort is < 1 or > 65535)
            failures.Add($"{section}:GatewayPort must be a port from 1 to 65535, not {options.GatewayPort}.");
        if (options.SiloPort == options.GatewayPort)
            failures.Add($"{section}:SiloPort and {section}:GatewayPort must differ; both are {options.SiloPort}.");
        if (string.IsNullOrWhiteSpace(options.ClusterId))
            failures.Add($"{section}:ClusterId must not be empty.");
        if (string.IsNullOrWhiteSpace(options.ServiceId))
            failures.Add($"{section}:ServiceId must not be empty.");
        if (!string.IsNullOrWhiteSpace(options.AdvertisedIPAddress) && !IPAddress.TryParse(options.AdvertisedIPAddress, out _))
            failures.Add($"{section}:AdvertisedIPAddress must be an IP address such as 127.0.0.1, not '{options.AdvertisedIPAddress}'.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
