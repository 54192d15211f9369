using AssistanceRouter.Grains.Hosting;
using StackExchange.Redis;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// The silo's one connection for the channel queues and the request index, and the names of their keys. Concurrent
/// calls pipeline on it by themselves. Nothing waits for a connection at start, and a command fails after
/// <see cref="AssistanceRouterHosting.RedisConfiguration"/>'s timeouts (a second unless the connection string says
/// otherwise): while Redis is gone a write on the accept path fails within about a second, so that the API answers
/// 503 at once instead of holding the caller. The connection comes back by itself with Redis.
/// </summary>
public sealed class RedisStoreConnection : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> multiplexer;
    private readonly string prefix;

    /// <param name="configuration">From <see cref="AssistanceRouterHosting.RedisConfiguration"/>, as the rest of the silo's Redis use.</param>
    /// <param name="serviceId">Orleans' ServiceId: every key starts with it, so that services can share a Redis.</param>
    public RedisStoreConnection(ConfigurationOptions configuration, string serviceId)
    {
        var options = configuration.Clone();
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, AssistanceRouterHosting.RedisTimeout);
        // Timeouts are checked on each heartbeat, every second by default: a one-second timeout fired after up to 2 s.
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(options.HeartbeatInterval.TotalMilliseconds, 250));
        multiplexer = new(() => ConnectionMultiplexer.ConnectAsync(options));
        prefix = Escape(serviceId);
    }

    public async Task<IDatabase> DatabaseAsync() => (await multiplexer.Value).GetDatabase();

    /// <summary>
    /// <c>{serviceId}/{part}/{part}…</c>, each part percent-encoded (RFC 3986's unreserved characters stay), so that a
    /// part never holds a <c>/</c> and no two different lists of parts make the same key: channel <c>a/b</c> is
    /// <c>a%2Fb</c>, never channel <c>a</c>'s key <c>b</c>.
    /// </summary>
    public RedisKey Key(params ReadOnlySpan<string> parts)
    {
        var key = prefix;
        foreach (var part in parts) key += "/" + Escape(part);
        return key;
    }

    /// <summary>A channel's queue: its notice ids by due milliseconds, the same ids by enqueue milliseconds, and id → payload.</summary>
    public (RedisKey Due, RedisKey Enqueued, RedisKey Payload) QueueKeys(string queue) =>
        (Key("queue", queue, "due"), Key("queue", queue, "enqueued"), Key("queue", queue, "payload"));

    /// <summary>A request list, or its part of one topic.</summary>
    public RedisKey ListKey(string list, string? topic = null) => topic is null ? Key("requests", list) : Key("requests", list, "topic", topic);

    /// <summary>Runs a transaction and awaits its commands too, so that a failure is thrown here and none goes unobserved.</summary>
    public static async Task CommitAsync(ITransaction transaction, params Task[] commands)
    {
        var executed = transaction.ExecuteAsync();
        await Task.WhenAll([executed, .. commands]);
    }

    private static string Escape(string part) => Uri.EscapeDataString(part);

    public async ValueTask DisposeAsync()
    {
        if (multiplexer.IsValueCreated) await (await multiplexer.Value).DisposeAsync();
    }
}
