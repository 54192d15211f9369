namespace AssistanceRouter.Grains.Channels;

/// <summary>What a channel grain logs.</summary>
public sealed partial class ChannelGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} cannot send: {Problem}")]
    private static partial void LogCannotSend(ILogger logger, string channel, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} paused by an operator")]
    private static partial void LogPaused(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel} resumed")]
    private static partial void LogResumed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the stored queue of channel {Channel}; trying again shortly")]
    private static partial void LogQueueReadFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record an attempt of request {RequestId} on {Channel}; will report it again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid requestId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} gave up on {Kind} {NoticeId} of request {RequestId}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string channel, NoticeKind kind, string noticeId, Guid requestId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} could not update its stored queue for {NoticeId}; trying again shortly")]
    private static partial void LogQueueWriteFailed(ILogger logger, Exception exception, string channel, string noticeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask request {RequestId} whether {Channel} should still send; sending")]
    private static partial void LogWantedUnknown(ILogger logger, Exception exception, Guid requestId, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel} failed to send {NoticeId}")]
    private static partial void LogSenderFailed(ILogger logger, Exception exception, string channel, string noticeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask request {RequestId} to run its escalation step due on {Channel}; asking again shortly")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, Guid requestId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} could not register its reminder; its next wake tries again")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string channel);
}
