namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Group commit for writes that many callers make at once: while one group is being written, the changes that arrive
/// wait together and go as the next group, in one call of <c>write</c>. A lone caller is written at once; under load a
/// group holds everything that arrived during one round trip. Each caller's task completes when its group is durable,
/// or faults with its group's exception. Thread-safe; the writes themselves run off any grain's scheduler.
/// </summary>
public sealed class WriteGroup<T>(Func<IReadOnlyList<T>, Task> write)
{
    private readonly Lock gate = new();
    private List<T> waiting = [];
    private TaskCompletionSource? waitingDone;
    private bool writing;

    public Task Add(IEnumerable<T> changes)
    {
        Task done;
        lock (gate)
        {
            waiting.AddRange(changes);
            done = (waitingDone ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            if (writing) return done;
            writing = true;
        }
        _ = WriteAll();
        return done;
    }

    private async Task WriteAll()
    {
        while (true)
        {
            List<T> group;
            TaskCompletionSource done;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    writing = false;
                    return;
                }
                (group, done) = (waiting, waitingDone!);
                (waiting, waitingDone) = ([], null);
            }
            try
            {
                // Off the caller's scheduler from here: a grain that started this loop may deactivate while later groups are written.
                await write(group).ConfigureAwait(false);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }
}
