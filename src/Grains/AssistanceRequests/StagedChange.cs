using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
using Orleans.Serialization;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// What one transition of a request changes beside its record: first stored with the record in one write
/// (<see cref="Write"/>), then told to the channels concerned: the notices it queued on them (held in memory, to be
/// sent) and the ones it took off them (stopped). A channel that never hears of a notice stored for it finds it in its
/// store at its next wake; a notice taken back must be stopped before the transition answers, so that failure throws.
/// </summary>
public sealed class StagedChange(Serializer serializer)
{
    private readonly Dictionary<string, List<DueNotice>> admitted = [];
    private readonly Dictionary<string, List<string>> withdrawn = [];

    public RequestWrite Write { get; } = new();

    /// <summary>
    /// Puts <paramref name="notice"/> on <paramref name="queue"/> (a channel's, or a channel's schedule:
    /// <see cref="ChannelSchedule"/>), due at <paramref name="due"/> (to the millisecond).
    /// </summary>
    public void Queue(string queue, Notice notice, DateTimeOffset due, DateTimeOffset now)
    {
        var at = Millis(due);
        Write.Put(queue, new StoredNotice(notice.Id, at, Millis(now), serializer.SerializeToArray(notice)));
        For(admitted, ChannelSchedule.ChannelOf(queue)).Add(new DueNotice(notice, at));
    }

    /// <summary>Takes a notice off <paramref name="queue"/>, and stops it on its channel.</summary>
    public void TakeBack(string queue, string noticeId)
    {
        Write.Remove(queue, noticeId);
        For(withdrawn, ChannelSchedule.ChannelOf(queue)).Add(noticeId);
    }

    /// <summary>
    /// Tells the channels, once <see cref="Write"/> is stored: the notices taken back first (throws unless every channel
    /// has stopped them), then the ones queued. Answers each channel's admission; null where the call failed.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ChannelAdmission?>> TellAsync(IGrainFactory grains, Action<Exception, string> admitFailed)
    {
        await Task.WhenAll(withdrawn.Select(w => grains.Reference<IChannelGrain>(w.Key).Withdraw([.. w.Value])));
        var admissions = await Task.WhenAll(admitted.Select(async a =>
        {
            try
            {
                return (Channel: a.Key, Admission: (ChannelAdmission?)await grains.Reference<IChannelGrain>(a.Key).Admit([.. a.Value]));
            }
            catch (Exception ex)
            {
                admitFailed(ex, a.Key); // stored already: the channel's next wake takes it in
                return (Channel: a.Key, Admission: null);
            }
        }));
        return admissions.ToDictionary(a => a.Channel, a => a.Admission);
    }

    private static List<T> For<T>(Dictionary<string, List<T>> lists, string channel)
    {
        if (!lists.TryGetValue(channel, out var list)) lists[channel] = list = [];
        return list;
    }

    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
