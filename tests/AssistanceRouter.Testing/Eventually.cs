using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AssistanceRouter.Testing;

/// <summary>
/// The one way tests wait for something that happens in the background: polls until it holds or a deadline passes,
/// then fails with what was awaited and what was seen last. An exception from the condition fails at once (catch
/// inside the condition what should count as "not yet", or use <see cref="Succeeds"/>).
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says: generous, since other work may share the machine.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    /// <summary>How long between two looks unless the caller says.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(50);

    private const int MaxSeen = 4000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Until <paramref name="condition"/> is true.</summary>
    /// <param name="seen">What the failure reports as seen last; unset: that the condition was false.</param>
    public static Task True(Func<bool> condition, string awaited, TimeSpan? within = null, TimeSpan? every = null, Func<string>? seen = null) =>
        Until(() => Task.FromResult(condition()), held => held, awaited, within, every, _ => seen?.Invoke() ?? "the condition was false");

    /// <inheritdoc cref="True(Func{bool}, string, TimeSpan?, TimeSpan?, Func{string}?)"/>
    public static Task True(Func<Task<bool>> condition, string awaited, TimeSpan? within = null, TimeSpan? every = null, Func<string>? seen = null) =>
        Until(condition, held => held, awaited, within, every, _ => seen?.Invoke() ?? "the condition was false");

    /// <summary>Reads a value until <paramref name="holds"/> accepts it, and returns that value.</summary>
    /// <param name="describe">How the last value reads in the failure; unset: as JSON, cut at 4,000 characters.</param>
    public static Task<T> Until<T>(Func<T> read, Func<T, bool> holds, string awaited, TimeSpan? within = null, TimeSpan? every = null, Func<T, string>? describe = null) =>
        Until(() => Task.FromResult(read()), holds, awaited, within, every, describe);

    /// <inheritdoc cref="Until{T}(Func{T}, Func{T, bool}, string, TimeSpan?, TimeSpan?, Func{T, string}?)"/>
    /// <remarks>Where the check would also accept a task (<c>v => v is not null</c>), name <typeparamref name="T"/> to pick this one.</remarks>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> holds, string awaited, TimeSpan? within = null, TimeSpan? every = null, Func<T, string>? describe = null)
    {
        var limit = within ?? DefaultWithin;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await read();
            if (holds(seen)) return seen;
            if (clock.Elapsed >= limit)
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {awaited}; last seen: {(describe is null ? Describe(seen) : describe(seen))}");
            await Task.Delay(every ?? DefaultEvery);
        }
    }

    /// <summary>Runs <paramref name="action"/> until it completes without throwing; the last exception is in the failure.</summary>
    public static async Task Succeeds(Func<Task> action, string awaited, TimeSpan? within = null, TimeSpan? every = null)
    {
        Exception? last = null;
        try
        {
            await Until(async () =>
            {
                try
                {
                    await action();
                    last = null;
                }
                catch (Exception e)
                {
                    last = e;
                }
                return last;
            }, failure => failure is null, awaited, within, every, failure => $"{failure!.GetType().Name}: {failure.Message}");
        }
        catch (TimeoutException timeout) when (last is not null)
        {
            throw new TimeoutException(timeout.Message, last);
        }
    }

    private static string Describe<T>(T seen) => Truncate(DescribeAll(seen));

    private static string DescribeAll<T>(T seen)
    {
        switch (seen)
        {
            case null: return "null";
            case string text: return text;
            case JsonElement element: return element.GetRawText();
        }
        try
        {
            return JsonSerializer.Serialize(seen, Json);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return seen.ToString() ?? "";
        }
    }

    private static string Truncate(string text) => text.Length <= MaxSeen ? text : text[..MaxSeen] + $"… ({text.Length} characters)";
}
