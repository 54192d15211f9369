using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Providers;
using Orleans.Storage;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// Makes every write to the product's real storage fail, on purpose, while <see cref="Failing"/> is set: grain state,
/// request records, channel queues and request lists throw what SQLite throws when the disk is full. Reads keep
/// working, as they do on a full disk.
/// </summary>
public sealed class StorageFaults
{
    public volatile bool Failing;

    /// <summary>Only the requests' records fail: a transition's one write (its record, list entries and notices together).</summary>
    public volatile bool FailingGrainState;

    private int queueWritesRefused;

    /// <summary>Writes to channel queues refused so far: a channel's own attempts (taking an entry off, putting it back) among them.</summary>
    public int QueueWritesRefused => Volatile.Read(ref queueWritesRefused);

    public void ThrowIfFailing(bool grainState = false)
    {
        if (Failing || (grainState && FailingGrainState)) throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
    }

    private void ThrowIfQueueFailing()
    {
        if (Failing) Interlocked.Increment(ref queueWritesRefused);
        ThrowIfFailing();
    }

    /// <summary>Wraps the storage the product registered (on top of whatever provider the settings chose).</summary>
    public static void Install(IServiceCollection services, StorageFaults faults)
    {
        services.AddSingleton(faults);
        Decorate<IChannelQueueStore>(services, (inner, _) => new FaultyQueueStore(inner, faults));
        Decorate<IRequestIndex>(services, (inner, _) => new FaultyRequestIndex(inner, faults));
        Decorate<IRequestStore>(services, (inner, _) => new FaultyRequestStore(inner, faults));
        var state = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        services.Remove(state);
        services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, key) =>
            new FaultyGrainStorage((IGrainStorage)state.KeyedImplementationFactory!(sp, key), faults));
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap) where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton<T>(sp => wrap((T)(original.ImplementationFactory?.Invoke(sp)
            ?? original.ImplementationInstance
            ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), sp));
    }

    private sealed class FaultyQueueStore(IChannelQueueStore inner, StorageFaults faults) : IChannelQueueStore
    {
        public Task PutAsync(string channel, IReadOnlyCollection<StoredNotice> entries) { faults.ThrowIfQueueFailing(); return inner.PutAsync(channel, entries); }
        public Task RemoveAsync(string channel, IReadOnlyCollection<string> entryIds) { faults.ThrowIfQueueFailing(); return inner.RemoveAsync(channel, entryIds); }
        public Task<IReadOnlyList<StoredNotice>> ReadAsync(string channel, QueuePosition? after, int take) => inner.ReadAsync(channel, after, take);
        public Task<QueueStats> StatsAsync(string channel) => inner.StatsAsync(channel);
    }

    private sealed class FaultyRequestIndex(IRequestIndex inner, StorageFaults faults) : IRequestIndex
    {
        public Task MoveAsync(Guid requestId, string topic, string? from, string to, DateTimeOffset at) { faults.ThrowIfFailing(); return inner.MoveAsync(requestId, topic, from, to, at); }
        public Task RemoveAsync(string list, Guid requestId, string topic) { faults.ThrowIfFailing(); return inner.RemoveAsync(list, requestId, topic); }
        public Task<IndexPage> PageAsync(string list, string? topic, bool newestFirst, int skip, int take) => inner.PageAsync(list, topic, newestFirst, skip, take);
        public Task<long> CountAsync(string list, string? topic) => inner.CountAsync(list, topic);
    }

    private sealed class FaultyRequestStore(IRequestStore inner, StorageFaults faults) : IRequestStore
    {
        public Task<StoredRequest?> ReadAsync(GrainId grainId) => inner.ReadAsync(grainId);
        public Task<string> WriteAsync(GrainId grainId, AssistanceRequestState state, string? etag, RequestWrite write) { faults.ThrowIfFailing(grainState: true); return inner.WriteAsync(grainId, state, etag, write); }
    }

    private sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);
        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) { faults.ThrowIfFailing(grainState: stateName == "request"); return inner.WriteStateAsync(stateName, grainId, grainState); }
        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) { faults.ThrowIfFailing(); return inner.ClearStateAsync(stateName, grainId, grainState); }
    }
}
