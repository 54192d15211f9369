using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// A channel's sender under the attempt timeout: each send is cut off after <paramref name="timeout"/> or by a cancel,
/// and a send that throws comes back as a transient result (told to <paramref name="faulted"/>), so that a faulty
/// sender never stops its channel.
/// </summary>
public sealed class TimedSender(IChannelSender sender, TimeSpan timeout, TimeProvider time, Action<Exception, OutgoingNotice> faulted)
{
    public async Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancelled)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancelled);
        try
        {
            return await sender.SendAsync(notice, either.Token);
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            return SendResult.Transient("cancelled");
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return SendResult.Transient($"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex)
        {
            faulted(ex, notice);
            return SendResult.Transient("the sender failed unexpectedly; the silo's log has the details");
        }
    }
}
