using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Time.Testing;

namespace AssistanceRouter.Tests.Channels;

/// <summary>The token bucket and the retry schedule, on a fake clock: no sleeping.</summary>
public sealed class DeliveryArithmeticTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-26T10:00:00Z"));

    [Fact]
    public void The_bucket_allows_the_burst_then_one_token_per_period()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 3);

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(time.GetUtcNow())));
        Assert.Equal(time.GetUtcNow().AddMilliseconds(500), bucket.NextAvailableAt(time.GetUtcNow()));

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
    }

    [Fact]
    public void Over_a_minute_the_bucket_never_exceeds_its_rate_plus_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 1);
        var taken = 0;
        for (var ms = 0; ms < 60_000; ms += 10)
        {
            if (bucket.TryTake(time.GetUtcNow())) taken++;
            time.Advance(TimeSpan.FromMilliseconds(10));
        }
        Assert.Equal(60, taken);
    }

    [Fact]
    public void A_pause_holds_every_token_until_it_ends_and_then_restarts_without_a_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 10);
        var now = time.GetUtcNow();

        bucket.PauseUntil(now, now.AddSeconds(5));

        Assert.Equal(now.AddSeconds(5).AddMilliseconds(100), bucket.NextAvailableAt(now));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
    }

    [Fact]
    public void The_retry_ceiling_doubles_from_the_initial_backoff_up_to_the_maximum()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), () => 1.0);

        Assert.Equal(
            new[] { 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300 }.Select(s => TimeSpan.FromSeconds(s)),
            Enumerable.Range(1, 11).Select(schedule.Ceiling));
        Assert.Equal(TimeSpan.FromMinutes(5), schedule.Ceiling(10_000));
    }

    [Fact]
    public void Full_jitter_spreads_each_delay_between_zero_and_the_ceiling()
    {
        var random = new Random(7);
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), random.NextDouble);

        var delays = Enumerable.Range(0, 1000).Select(_ => schedule.Delay(4)).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        Assert.InRange(delays.Average(d => d.TotalSeconds), 3.5, 4.5);
        Assert.True(delays.Min() < TimeSpan.FromSeconds(1) && delays.Max() > TimeSpan.FromSeconds(7), "jitter should cover the whole range");
    }

    [Fact]
    public void A_shorter_pause_during_a_longer_one_neither_ends_it_early_nor_brings_a_burst_after_it()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 5);
        var start = time.GetUtcNow();
        bucket.PauseUntil(start, start.AddSeconds(10)); // a 429 asking for 10 s
        time.Advance(TimeSpan.FromSeconds(1));
        bucket.PauseUntil(time.GetUtcNow(), start.AddSeconds(3)); // another send's 429 asking for 2 s

        Assert.Equal(start.AddSeconds(10), bucket.PausedUntil);
        Assert.Equal(start.AddSeconds(11), bucket.NextAvailableAt(time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
    }
}
