using System.Diagnostics.CodeAnalysis;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// A channel's attempts under way, by notice id, and the send slots they hold. An attempt holds one of
/// <paramref name="maxSends"/> slots from its start until its receiver answers (<see cref="FreeSlot"/>), so that a slow
/// reply holds up only itself. The report after the answer holds none, but at most <paramref name="reportsPerSlot"/>
/// attempts per slot may be under way in all, so that a slow store slows the sends.
/// </summary>
public sealed class AttemptsInFlight(int maxSends, int reportsPerSlot)
{
    private readonly Dictionary<string, Attempt> attempts = [];
    private int sending;

    public int Count => attempts.Count;

    /// <summary>Whether another attempt may start: a send slot is free, and not too many reports are under way.</summary>
    public bool HaveRoom => sending < maxSends && attempts.Count < maxSends * reportsPerSlot;

    public bool Contains(string id) => attempts.ContainsKey(id);

    /// <summary>Starts an attempt on notice <paramref name="id"/>, holding a send slot.</summary>
    public Attempt Start(string id)
    {
        var attempt = new Attempt();
        attempts[id] = attempt;
        sending++;
        return attempt;
    }

    /// <summary>Whether <paramref name="attempt"/> is still the one under way for its notice: a cancel takes it away.</summary>
    public bool IsCurrent(string id, Attempt attempt) => attempts.TryGetValue(id, out var current) && ReferenceEquals(current, attempt);

    public bool Remove(string id, [MaybeNullWhen(false)] out Attempt attempt) => attempts.Remove(id, out attempt);

    public void Remove(string id) => attempts.Remove(id);

    /// <summary>The receiver has answered (or the attempt ended without a send): the slot is free for the next send.</summary>
    public void FreeSlot(Attempt attempt)
    {
        if (!attempt.HoldsSendSlot) return;
        attempt.HoldsSendSlot = false;
        sending--;
    }

    /// <summary>One attempt under way: <see cref="Sending"/> is the send alone, which a cancel waits for (never the report after it).</summary>
    public sealed class Attempt
    {
        public CancellationTokenSource Cancel { get; } = new();

        public Task Sending { get; set; } = Task.CompletedTask;

        internal bool HoldsSendSlot { get; set; } = true;
    }
}
