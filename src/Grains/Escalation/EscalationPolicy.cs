namespace AssistanceRouter.Grains.Escalation;

/// <summary>
/// How a topic escalates while nobody has a request: its steps, run <see cref="Repeat"/> more times after the first
/// round, each round starting after the previous round's last step. A request keeps the policy it was accepted
/// with, so that changing a topic never reschedules requests already waiting.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EscalationPolicy([property: Id(0)] EscalationStep[] Steps, [property: Id(1)] int Repeat = 0)
{
    public const int MaxSteps = 20;
    public const int MaxRepeat = 100;

    /// <summary>
    /// No steps. A new instance each time: a request's state starts with this policy, and Newtonsoft JSON (Orleans'
    /// default storage serializer, used by the tests' memory storage and here to read state written by earlier
    /// versions) fills the object a property already holds instead of replacing it. A shared one took on the steps of
    /// the first request read that way, and every request accepted afterwards without steps escalated anyway.
    /// </summary>
    public static EscalationPolicy None => new([], 0);

    /// <summary>Every step of every round.</summary>
    public int TotalSteps => Steps.Length * (Repeat + 1);

    /// <summary>The <paramref name="index"/>-th step to run (0-based, across rounds): when, from acceptance, and whom it notifies.</summary>
    public (TimeSpan After, string[] Channels) Step(int index)
    {
        var round = index / Steps.Length;
        var step = Steps[index % Steps.Length];
        return (Steps[^1].After * round + step.After, step.Channels);
    }

    /// <summary>The time between step <paramref name="index"/> and the one before it (or acceptance).</summary>
    public TimeSpan Gap(int index) => index == 0 ? Step(0).After : Step(index).After - Step(index - 1).After;

    /// <summary>What is wrong with the policy, or null: steps strictly increasing and positive, each naming channels.</summary>
    public string? Problem()
    {
        if (Steps.Length > MaxSteps) return $"at most {MaxSteps} steps";
        if (Repeat is < 0 or > MaxRepeat) return $"'repeat' must be 0 to {MaxRepeat}";
        if (Repeat > 0 && Steps.Length == 0) return "'repeat' needs steps";
        var previous = TimeSpan.Zero;
        for (var i = 0; i < Steps.Length; i++)
        {
            if (Steps[i].After <= previous)
                return i == 0 ? "the first step's 'after' must be more than zero" : $"step {i + 1}'s 'after' must be later than step {i}'s";
            if (Steps[i].Channels is not { Length: > 0 } channels || channels.Any(string.IsNullOrWhiteSpace))
                return $"step {i + 1} must name at least one channel";
            previous = Steps[i].After;
        }
        return null;
    }
}
