using System.Collections.Concurrent;

namespace AssistanceRouter.Api.SignIn;

/// <summary>
/// Brakes on guessing keys, per client address, at <c>/signin</c> and in <c>X-Api-Key</c>: the first
/// <see cref="FreeFailures"/> wrong keys in a row cost nothing, then each one more makes the next try wait twice as long
/// as the one before (1 s, 2 s, 4 s … at most <see cref="MaxWait"/>), and a try while waiting is a 429 that checks
/// nothing. A right key clears it; an hour without a wrong one forgets it. Each refusal is logged once, without the key.
/// </summary>
public sealed partial class SignInThrottle(TimeProvider time, ILogger<SignInThrottle> logger)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    /// <summary>Past this many addresses, those no longer waiting are dropped: a flood of addresses cannot fill memory.</summary>
    private const int MaxClients = 10_000;

    private readonly ConcurrentDictionary<string, Failures> clients = new(StringComparer.Ordinal);

    private sealed record Failures(int Count, DateTimeOffset Last, DateTimeOffset Until);

    public static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";

    /// <summary>How long <paramref name="client"/> must still wait before a key it sends is checked; null when it may try now.</summary>
    public TimeSpan? Wait(string client)
    {
        var now = time.GetUtcNow();
        return clients.TryGetValue(client, out var failures) && failures.Until > now ? failures.Until - now : null;
    }

    /// <summary>A try refused while waiting: logged, not counted.</summary>
    public void Refused(string client, string where, TimeSpan wait) =>
        LogWaiting(logger, where, client, (int)Math.Ceiling(wait.TotalSeconds));

    public void Failed(string client, string where)
    {
        var now = time.GetUtcNow();
        var failures = clients.AddOrUpdate(client,
            _ => Next(0, now),
            (_, old) => Next(now - old.Last > ForgetAfter ? 0 : old.Count, now));
        LogWrongKey(logger, where, client, failures.Count);
        if (clients.Count > MaxClients)
            foreach (var (address, entry) in clients)
                if (entry.Until <= now) clients.TryRemove(address, out _);
    }

    public void Succeeded(string client)
    {
        if (!clients.IsEmpty) clients.TryRemove(client, out _);
    }

    private static Failures Next(int count, DateTimeOffset now)
    {
        var failed = count + 1;
        var wait = failed <= FreeFailures ? TimeSpan.Zero
            : TimeSpan.FromSeconds(Math.Min(MaxWait.TotalSeconds, Math.Pow(2, Math.Min(failed - FreeFailures - 1, 30))));
        return new Failures(failed, now, now + wait);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a key at {Where} from {Client}: not one of this service's keys ({Failures} wrong in a row)")]
    private static partial void LogWrongKey(ILogger logger, string where, string client, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a key at {Where} from {Client} unchecked: too many wrong keys, it may try again in {Seconds} s")]
    private static partial void LogWaiting(ILogger logger, string where, string client, int seconds);
}
