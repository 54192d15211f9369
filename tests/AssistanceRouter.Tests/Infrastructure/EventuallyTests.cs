namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>The tests' one wait: it returns what it waited for, and a wait that fails says what it awaited and saw.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task It_returns_the_value_that_held()
    {
        var reads = 0;
        var seen = await Eventually.Until(() => ++reads, n => n == 3, "the third read", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, seen);
    }

    [Fact]
    public async Task A_wait_that_fails_names_what_it_awaited_and_what_it_saw_last()
    {
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Until(() => Task.FromResult(new[] { "request" }), kinds => kinds.Length == 2, "'taken by Alice' at A", TimeSpan.Zero));

        Assert.Equal("""Waited 0 s for 'taken by Alice' at A; last seen: ["request"]""", timeout.Message);
    }

    [Fact]
    public async Task An_exception_from_the_condition_fails_at_once()
    {
        var reads = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Eventually.True(() => ++reads > 0 ? throw new InvalidOperationException("the node exited") : false, "never", TimeSpan.FromMinutes(5)));

        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task Succeeds_retries_until_the_action_goes_through_and_keeps_the_last_failure_when_it_never_does()
    {
        var attempts = 0;
        await Eventually.Succeeds(() => ++attempts < 3 ? throw new IOException("not yet") : Task.CompletedTask, "the third attempt",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, attempts);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Succeeds(() => throw new IOException("refused"), "a listener", TimeSpan.Zero));
        Assert.Equal("Waited 0 s for a listener; last seen: IOException: refused", timeout.Message);
        Assert.IsType<IOException>(timeout.InnerException);
    }
}
