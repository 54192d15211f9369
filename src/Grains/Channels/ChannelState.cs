namespace AssistanceRouter.Grains.Channels;

/// <summary>What a channel grain stores beside its queue. Stored fields: never renumber.</summary>
[GenerateSerializer]
public sealed class ChannelState
{
    /// <summary>An operator holds the channel: it keeps its queue and sends nothing.</summary>
    [Id(0)] public bool Paused { get; set; }
}
