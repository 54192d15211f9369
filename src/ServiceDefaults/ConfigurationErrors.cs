using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// Turns a wrong setting into the one line an operator needs (the key, and what it may be) instead of a stack trace.
/// Each <c>Program</c> prints it and exits with code 1; anything else is a fault and still crashes loudly.
/// </summary>
public static partial class ConfigurationErrors
{
    /// <summary>What a node exits with when its configuration is wrong (a crash would be 134, with a stack trace).</summary>
    public const int ExitCode = 1;

    /// <summary>The line to print, or null when <paramref name="exception"/> is not about configuration.</summary>
    public static string? Describe(Exception exception)
    {
        var problems = Problems(exception).ToArray();
        return problems.Length > 0 && problems.All(p => p is not null)
            ? "AssistanceRouter cannot start: " + string.Join(" ", problems.Distinct())
            : null;
    }

    private static IEnumerable<string?> Problems(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures,
        AggregateException many => many.InnerExceptions.SelectMany(Problems),
        InvalidOperationException when BindingFailure().Match(exception.Message) is { Success: true } failed =>
            [WrongType(failed.Groups["key"].Value, failed.Groups["value"].Value, failed.Groups["type"].Value)],
        _ => [null],
    };

    /// <summary>The configuration binder's words for a value it cannot convert.</summary>
    [GeneratedRegex("^Failed to convert configuration value (?:'(?<value>.*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BindingFailure();

    private static string WrongType(string key, string value, string typeName)
    {
        var shown = value.Length > 0 ? $"'{value}'" : "the value given";
        return $"{key} is {shown}, which is not {Expected(typeName)}.";
    }

    private static string Expected(string typeName)
    {
        var name = Regex.Match(typeName, @"^System\.Nullable`1\[\[?(?<inner>[^,\]]+)").Groups["inner"] is { Success: true } inner ? inner.Value : typeName;
        return name switch
        {
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a time span such as 00:00:30 (30 seconds) or 1.00:00:00 (a day)",
            "System.Uri" => "an absolute URL",
            _ when FindEnum(name) is { } type => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => $"a {name[(name.LastIndexOf('.') + 1)..]}",
        };
    }

    private static Type? FindEnum(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is { IsEnum: true });
}
