using AssistanceRouter.Grains.Routing;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Inbox;

public sealed class InboxOptionsValidator : IValidateOptions<InboxOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxOptions options)
    {
        var failures = new List<string>();
        foreach (var (topic, late) in options.Late)
        {
            var key = $"{InboxOptions.Section}:Late:{topic}";
            if (!TopicNames.IsValid(TopicNames.Normalize(topic)))
                failures.Add($"{key} names '{TopicNames.Shorten(topic)}', which is not a topic name ({TopicNames.Rule}).");
            if (late.Amber <= TimeSpan.Zero)
                failures.Add($"{key}:Amber is {late.Amber}, which must be more than 00:00:00.");
            if (late.Red <= late.Amber)
                failures.Add($"{key}:Red is {late.Red}, which must be later than {key}:Amber ({late.Amber}).");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
