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
    public void A_fractional_token_waits_only_for_the_rest_of_its_token()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 1);
        Assert.True(bucket.TryTake(time.GetUtcNow()));

        time.Advance(TimeSpan.FromMilliseconds(200)); // 0.4 of a token
        Assert.False(bucket.TryTake(time.GetUtcNow()));
        Assert.Equal(time.GetUtcNow().AddMilliseconds(300), bucket.NextAvailableAt(time.GetUtcNow()));

        time.Advance(TimeSpan.FromMilliseconds(150)); // 0.7 of a token, asked again without a take in between
        Assert.Equal(time.GetUtcNow().AddMilliseconds(150), bucket.NextAvailableAt(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(149));
        Assert.False(bucket.TryTake(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake(time.GetUtcNow()));
    }

    [Fact]
    public void Exactly_one_token_is_available_now()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 2);
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        Assert.True(bucket.TryTake(time.GetUtcNow()));

        time.Advance(TimeSpan.FromMilliseconds(250)); // exactly one token

        Assert.Equal(time.GetUtcNow(), bucket.NextAvailableAt(time.GetUtcNow()));
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        Assert.Equal(time.GetUtcNow().AddMilliseconds(250), bucket.NextAvailableAt(time.GetUtcNow()));
    }

    [Fact]
    public void A_token_in_hand_is_available_now_not_at_a_moment_past()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 2);
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        Assert.True(bucket.TryTake(time.GetUtcNow()));

        time.Advance(TimeSpan.FromSeconds(1)); // four tokens' worth, two kept

        Assert.Equal(time.GetUtcNow(), bucket.NextAvailableAt(time.GetUtcNow()));
    }

    [Fact]
    public void However_long_it_idles_the_bucket_holds_at_most_its_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 3);
        Assert.True(bucket.TryTake(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMilliseconds(50)); // 2.5 tokens

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(time.GetUtcNow())));
        Assert.Equal(time.GetUtcNow().AddMilliseconds(100), bucket.NextAvailableAt(time.GetUtcNow()));
    }

    [Fact]
    public void A_clock_that_steps_back_neither_adds_nor_removes_tokens()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 1);
        var start = time.GetUtcNow();
        Assert.True(bucket.TryTake(start));

        Assert.False(bucket.TryTake(start.AddSeconds(-30)));
        Assert.Equal(start.AddSeconds(1), bucket.NextAvailableAt(start.AddSeconds(-30)));
        Assert.True(bucket.TryTake(start.AddSeconds(1)));
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

    [Fact]
    public void A_longer_pause_during_a_shorter_one_extends_it()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 2);
        var start = time.GetUtcNow();
        bucket.PauseUntil(start, start.AddSeconds(2));
        bucket.PauseUntil(start, start.AddSeconds(5));

        Assert.Equal(start.AddSeconds(5), bucket.PausedUntil);
        Assert.Equal(start.AddSeconds(5.5), bucket.NextAvailableAt(start.AddSeconds(3)));
        Assert.False(bucket.TryTake(start.AddSeconds(5.4)));
        Assert.True(bucket.TryTake(start.AddSeconds(5.5)));
    }

    [Fact]
    public void After_a_pause_the_bucket_refills_from_its_end_at_the_steady_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 1);
        var start = time.GetUtcNow();
        bucket.PauseUntil(start, start.AddSeconds(1));

        Assert.Equal(start.AddSeconds(2), bucket.NextAvailableAt(start.AddSeconds(1.5)));
        Assert.True(bucket.TryTake(start.AddSeconds(2)));
        Assert.False(bucket.TryTake(start.AddSeconds(2.5)));
        Assert.True(bucket.TryTake(start.AddSeconds(3)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_retry_number_below_one_waits_at_most_the_initial_backoff(int retry)
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), () => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(1), schedule.Ceiling(retry));
    }

    [Fact]
    public void The_ceiling_stops_at_the_maximum_even_when_doubling_would_overflow()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.MaxValue, () => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(1 << 20), schedule.Ceiling(21));
        Assert.Equal(TimeSpan.MaxValue, schedule.Ceiling(64));
        Assert.Equal(TimeSpan.MaxValue, schedule.Ceiling(int.MaxValue));
    }

    [Fact]
    public void A_ceiling_that_lands_exactly_on_the_maximum_is_the_maximum()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), () => 1.0);

        Assert.Equal([1, 2, 4, 4], Enumerable.Range(1, 4).Select(r => schedule.Ceiling(r).TotalSeconds));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 1000)]
    [InlineData(0.5, 2000)]
    [InlineData(0.875, 3500)]
    public void The_delay_is_the_random_fraction_of_the_ceiling(double fraction, int milliseconds)
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), () => fraction);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), schedule.Delay(3));
    }

    [Fact]
    public void The_options_schedule_uses_the_configured_backoff()
    {
        var schedule = new RetrySchedule(new DeliveryOptions { InitialBackoff = TimeSpan.FromMilliseconds(300), MaxBackoff = TimeSpan.FromSeconds(1) });

        Assert.Equal([300, 600, 1000, 1000], Enumerable.Range(1, 4).Select(r => schedule.Ceiling(r).TotalMilliseconds));
        Assert.All(Enumerable.Range(0, 200).Select(_ => schedule.Delay(2)), d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(600)));
    }
}
