using System.Net;
using System.Text.RegularExpressions;
using AssistanceRouter.Api.SignIn;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// Guessing keys has brakes, per client address: past a few wrong keys in a row each one more makes the next try wait
/// twice as long, a try while waiting is a 429 with <c>Retry-After</c> that checks nothing, and each refusal is one log
/// line without the key. Once 40 wrong keys in 0.6 s were 40 silent 401s.
/// </summary>
public sealed partial class SignInThrottleTests
{
    public const string Key = "sign-in-throttle-key-0123456789abcdef";
    private const string Wrong = "Wr0ngGuess-0123456789abcdef0123456789";

    private static ApiFactory Keyed() => new(new Dictionary<string, string?> { ["Api:Keys:0"] = Key });

    [Fact]
    public async Task Thirty_wrong_API_keys_in_a_row_get_429s_with_Retry_After_each_logged_once_without_the_key()
    {
        await using var api = Keyed();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Wrong);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++) answers.Add(await client.GetAsync("/topics"));

        Assert.All(answers.Take(SignInThrottle.FreeFailures), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.NotEmpty(limited);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"{a.StatusCode}"));
        foreach (var answer in limited)
        {
            Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {answer.Headers.RetryAfter}");
            Assert.Contains("try again in", (await Problems.ReadAsync(answer)).Detail);
        }
        // While it waits, even the right key is not checked: a right guess then would say nothing either.
        using var right = new HttpRequestMessage(HttpMethod.Get, "/topics");
        right.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.CreateClient().SendAsync(right)).StatusCode);

        var lines = api.Logs.Entries.Where(e => e.Category == typeof(SignInThrottle).FullName).ToArray();
        Assert.Equal(31, lines.Length);
        Assert.DoesNotContain(api.Logs.Entries, e => e.Text.Contains(Wrong, StringComparison.Ordinal) || e.Text.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Thirty_wrong_sign_ins_in_a_row_get_at_least_one_429_with_Retry_After()
    {
        await using var api = Keyed();
        var client = api.CreateClient(); // keeps the anti-forgery cookie, as a browser would
        var form = await client.GetStringAsync("/signin");
        var token = TokenField().Match(form).Groups["token"].Value;
        Assert.NotEmpty(token);

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
            statuses.Add(await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["key"] = Wrong,
                ["returnUrl"] = "/inbox",
            })));

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0].StatusCode);
        var limited = statuses.FirstOrDefault(s => s.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("Too many wrong keys", await limited.Content.ReadAsStringAsync());
        Assert.DoesNotContain(api.Logs.Entries, e => e.Text.Contains(Wrong, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_wrong_key_past_the_free_ones_doubles_the_wait_and_a_right_one_clears_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
        var throttle = new SignInThrottle(time, NullLogger<SignInThrottle>.Instance);
        for (var i = 0; i < SignInThrottle.FreeFailures; i++)
        {
            Assert.Null(throttle.Wait("10.0.0.1"));
            throttle.Failed("10.0.0.1", "test");
        }
        Assert.Null(throttle.Wait("10.0.0.1"));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            throttle.Failed("10.0.0.1", "test");
            var wait = throttle.Wait("10.0.0.1")!.Value;
            waits.Add(wait);
            time.Advance(wait);
            Assert.Null(throttle.Wait("10.0.0.1"));
        }
        Assert.Equal([1, 2, 4, 8], waits.Select(w => w.TotalSeconds));
        Assert.Null(throttle.Wait("10.0.0.2")); // another address is not slowed down

        for (var i = 0; i < 40; i++) throttle.Failed("10.0.0.1", "test");
        Assert.Equal(SignInThrottle.MaxWait, throttle.Wait("10.0.0.1"));

        time.Advance(SignInThrottle.MaxWait);
        throttle.Succeeded("10.0.0.1");
        throttle.Failed("10.0.0.1", "test");
        Assert.Null(throttle.Wait("10.0.0.1"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();
}
