using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Api.Slack;

/// <summary>The signing secrets of every Slack-kind channel in app mode, read once: a press verified by any of them is Slack's.</summary>
public sealed class SlackApps(IConfiguration configuration)
{
    public IReadOnlyList<string> SigningSecrets { get; } = [.. configuration.GetSection(ChannelOptions.Section).GetChildren()
        .Where(c => string.Equals(c["Kind"] is { Length: > 0 } kind ? kind : c.Key, "Slack", StringComparison.OrdinalIgnoreCase))
        .Select(SlackAppSettings.Read).OfType<SlackAppSettings>().Select(app => app.SigningSecret).Distinct(StringComparer.Ordinal)];
}
