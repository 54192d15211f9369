using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// Before a node starts: a wrong setting stops it (every options class's validator, run now so that the failure is one
/// line from <see cref="ConfigurationErrors"/> rather than the host's logged stack trace), and settings that this node
/// cannot act on are named in the log.
/// </summary>
public static partial class ConfigurationCheck
{
    /// <summary>Channel settings that only say how fast or as what; the others say where to deliver.</summary>
    private static readonly string[] SharedChannelKeys = ["Kind", "RatePerSecond", "Burst"];

    public const string SlackAlias = "SLACK_WEBHOOK_URL";

    public static void CheckConfiguration(this IHost node)
    {
        node.Services.GetService<IStartupValidator>()?.Validate();

        var logger = node.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AssistanceRouter.Configuration");
        var configuration = node.Services.GetRequiredService<IConfiguration>();
        if (node.Services.GetService<ChannelCatalog>() is { } channels)
            ReportChannels(channels, node.Services, logger);
        else if (IgnoredChannelSettings(configuration) is { Count: > 0 } ignored)
            LogChannelSettingsIgnored(logger, string.Join(", ", ignored));
    }

    /// <summary>
    /// On a node without a silo (an API in client mode): the keys that say where a channel delivers, which only the
    /// silos read. Rates and kinds are left out, since appsettings.json shows their defaults everywhere.
    /// </summary>
    public static IReadOnlyList<string> IgnoredChannelSettings(IConfiguration configuration)
    {
        var keys = configuration.GetSection(ChannelOptions.Section).AsEnumerable()
            .Where(setting => !string.IsNullOrWhiteSpace(setting.Value)
                && !SharedChannelKeys.Contains(setting.Key[(setting.Key.LastIndexOf(':') + 1)..], StringComparer.OrdinalIgnoreCase))
            .Select(setting => setting.Key)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (!string.IsNullOrWhiteSpace(configuration[SlackAlias])) keys.Add(SlackAlias);
        return keys;
    }

    /// <summary>On a node with a silo: which channels can send from here, and what each of the others lacks.</summary>
    private static void ReportChannels(ChannelCatalog channels, IServiceProvider services, ILogger logger)
    {
        var ready = new List<string>();
        foreach (var name in channels.Names.Order(StringComparer.Ordinal))
        {
            var settings = channels.Find(name)!;
            if (settings.Kind.CreateSender(settings, services).Problem is { } problem)
                LogChannelCannotSend(logger, name, problem);
            else
                ready.Add(name);
        }
        LogChannelsReady(logger, ready.Count == 0 ? "none" : string.Join(", ", ready));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "This API node is a client of the cluster (Orleans:Mode=Client) and ignores channel settings: {Keys}. " +
        "Channels deliver from the silos: set these on every silo.")]
    private static partial void LogChannelSettingsIgnored(ILogger logger, string keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} cannot send from this node, so its deliveries wait here: {Problem}")]
    private static partial void LogChannelCannotSend(ILogger logger, string channel, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channels that can send from this node: {Channels}")]
    private static partial void LogChannelsReady(ILogger logger, string channels);
}
