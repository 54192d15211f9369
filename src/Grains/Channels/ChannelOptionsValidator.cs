using System.Globalization;
using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.Channels;

/// <summary>Stops the process at start on a channel whose kind does not exist, whose limits cannot work, or whose signing secret no Standard Webhooks library would verify.</summary>
/// <remarks>
/// Reads the raw settings beside the bound ones: the binder drops a whole dictionary entry when one of its values
/// does not convert, so <c>RatePerSecond=abc</c> would otherwise hide the channel's other settings, or the channel.
/// </remarks>
public sealed class ChannelOptionsValidator(IEnumerable<IChannelKind> kinds, IConfiguration configuration) : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions options)
    {
        var kindNames = kinds.Select(k => k.Name).ToArray();
        var section = configuration.GetSection(ChannelOptions.Section);
        var channels = ChannelOptions.BuiltIn.Concat(section.GetChildren().Select(c => c.Key)).Concat(options.Keys).Distinct(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var channel in channels)
        {
            var settings = section.GetSection(channel);
            var prefix = $"{ChannelOptions.Section}:{channel}";
            var kind = settings["Kind"] is { Length: > 0 } configuredKind ? configuredKind : null;
            if (!kindNames.Contains(kind ?? channel, StringComparer.OrdinalIgnoreCase))
                failures.Add(kind is null
                    ? $"{prefix}:Kind is not set, and '{channel}' is not a channel kind; set it to one of {string.Join(", ", kindNames)}."
                    : $"{prefix}:Kind is '{kind}', which is not a channel kind; use one of {string.Join(", ", kindNames)}.");
            if (kinds.FirstOrDefault(k => k.Name.Equals(kind ?? channel, StringComparison.OrdinalIgnoreCase)) is WebhookKind
                && !WebhookSecret.TryRead(settings["Secret"], out _))
                failures.Add($"{prefix}:Secret must be {WebhookSecret.Rule}."); // never the secret itself
            if (kinds.FirstOrDefault(k => k.Name.Equals(kind ?? channel, StringComparison.OrdinalIgnoreCase)) is SlackKind)
                failures.AddRange(SlackAppSettings.Problems(settings, prefix)); // a half-made Slack app, named by key only
            if (settings["RatePerSecond"] is { Length: > 0 } rateText)
            {
                if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
                    failures.Add($"{prefix}:RatePerSecond is '{rateText}', which is not a number.");
                else if (!(rate > 0 && double.IsFinite(rate)))
                    failures.Add($"{prefix}:RatePerSecond must be a positive number (0.01 is one send every 100 s), not {rateText}.");
            }
            if (settings["Burst"] is { Length: > 0 } burstText)
            {
                if (!int.TryParse(burstText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var burst))
                    failures.Add($"{prefix}:Burst is '{burstText}', which is not a whole number.");
                else if (burst < 1)
                    failures.Add($"{prefix}:Burst must be at least 1, not {burst}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
