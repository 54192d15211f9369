using AssistanceRouter.Api.Inbox;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Changes;
using Microsoft.Extensions.Time.Testing;

namespace AssistanceRouter.Tests.Inbox;

/// <summary>
/// The node's picture of the requests that the inbox lists and searches: what a query finds and in which order, with
/// 100,000 open requests as well as with three, and that a late or stale summary never hides a newer one.
/// </summary>
public sealed class InboxProjectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Start);

    private static RequestSummary Summary(Guid id, string topic, string description, DateTimeOffset createdAt, DateTimeOffset? updatedAt = null,
        IReadOnlyDictionary<string, string>? metadata = null, AcknowledgementView? taken = null, ResolutionView? resolved = null,
        EscalationView? escalation = null) =>
        new(new AssistanceRequestView(id, topic, description,
            resolved is not null ? RequestStatus.Resolved : taken is not null ? RequestStatus.Acknowledged : RequestStatus.Delivered,
            createdAt, null, metadata ?? new Dictionary<string, string>(), [], taken, resolved, escalation ?? new EscalationView(0, 0, null), []),
            updatedAt ?? createdAt);

    [Fact]
    public void A_search_among_100000_open_requests_finds_the_one_by_a_word_an_id_prefix_or_a_metadata_value_and_no_other()
    {
        var projection = new InboxProjection(time);
        var ids = Enumerable.Range(0, 100_000).Select(_ => Guid.NewGuid()).ToArray();
        projection.Apply(ids.Select((id, i) => Summary(id, i % 2 == 0 ? "sales" : "support", $"Order {i} arrived broken, please send a new one",
            Start.AddSeconds(i), metadata: new Dictionary<string, string> { ["customer"] = $"C-{i}" })));
        var zebra = Guid.NewGuid();
        projection.Apply(Summary(zebra, "support", "A Zebra ate the cable", Start.AddDays(-1), metadata: new Dictionary<string, string> { ["customer"] = "ACME-X9" }));

        foreach (var query in new[] { "zebra", "ZEBRA cable", zebra.ToString("N")[..8], zebra.ToString()[..13], "acme-x9", "customer:x9" })
        {
            var found = projection.Query(null, InboxSearch.Parse(query), 100, 50, 20);
            Assert.Equal(zebra, Assert.Single(found.Open).Id);
            Assert.Equal(1, found.OpenTotal);
        }
        Assert.Empty(projection.Query(null, InboxSearch.Parse("zebra giraffe"), 100, 50, 20).Open); // every word must match
        Assert.Empty(projection.Query(null, InboxSearch.Parse("plan:x9"), 100, 50, 20).Open); // only in the key named

        // Without a search: the queue's first 100, oldest first, and how many there are of each topic.
        var all = projection.Query(null, null, 100, 50, 20);
        Assert.Equal(100_001, all.OpenTotal);
        Assert.Equal(100, all.Open.Length);
        Assert.Equal([zebra, .. ids[..99]], all.Open.Select(r => r.Id));
        Assert.Equal((50_000, 50_001), (all.Topics["sales"].Open, all.Topics["support"].Open));
        var support = projection.Query("support", InboxSearch.Parse("broken"), 100, 50, 20);
        Assert.Equal(50_000, support.OpenTotal);
        Assert.All(support.Open, r => Assert.Equal("support", r.Topic));
    }

    [Fact]
    public void Taken_and_resolved_requests_come_newest_first_and_resolutions_older_than_a_day_drop_out()
    {
        var projection = new InboxProjection(time);
        var (first, second, old) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        projection.Apply(Summary(first, "sales", "first", Start, taken: new AcknowledgementView("Ann", Start.AddMinutes(1), AcknowledgementVia.Inbox)));
        projection.Apply(Summary(second, "sales", "second", Start, taken: new AcknowledgementView("Ben", Start.AddMinutes(2), AcknowledgementVia.Api)));
        projection.Apply(Summary(old, "sales", "old", Start, resolved: new ResolutionView("Cy", Start, null)));
        time.Advance(TimeSpan.FromHours(23));

        var now = projection.Query(null, null, 100, 50, 20);
        Assert.Equal([second, first], now.Acknowledged.Select(r => r.Id));
        Assert.Equal(old, Assert.Single(now.Resolved).Id);
        Assert.Equal(2, now.Topics["sales"].Taken);
        Assert.Equal([second], projection.Query(null, InboxSearch.Parse("ben"), 100, 50, 20).Acknowledged.Select(r => r.Id)); // who has it

        time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(projection.Query(null, null, 100, 50, 20).Resolved);
        projection.Prune();
        Assert.Equal(2, projection.Count);
    }

    [Fact]
    public void A_summary_older_than_the_one_held_is_ignored_and_a_seed_keeps_what_changed_while_it_was_read()
    {
        var projection = new InboxProjection(time);
        var id = Guid.NewGuid();
        var taken = Summary(id, "sales", "help", Start, Start.AddMinutes(2), taken: new AcknowledgementView("Ann", Start.AddMinutes(2), AcknowledgementVia.Link));
        projection.Apply(taken);
        projection.Apply(Summary(id, "sales", "help", Start, Start.AddMinutes(1))); // a batch that arrived late
        Assert.Equal("Ann", Assert.Single(projection.Query(null, null, 100, 50, 20).Acknowledged).Acknowledgement!.By);

        // A seed read before the resolution arrived, swapped in after it: the resolution stays.
        projection.BeginSeed();
        var resolved = new RequestSummary(taken.Request with { Status = RequestStatus.Resolved, Resolution = new ResolutionView("Ann", Start.AddMinutes(3), "done") },
            Start.AddMinutes(3));
        projection.Apply(resolved);
        projection.EndSeed([taken with { UpdatedAt = Start.AddMinutes(2.5) }]);
        Assert.Equal("done", Assert.Single(projection.Query(null, null, 100, 50, 20).Resolved).Resolution!.Note);

        // A seed that failed half-way changes nothing.
        projection.BeginSeed();
        projection.EndSeed(null);
        Assert.Equal(1, projection.Count);
    }

    [Fact]
    public void An_open_request_whose_escalation_ran_out_is_marked()
    {
        var ranOut = Summary(Guid.NewGuid(), "sales", "x", Start, escalation: new EscalationView(3, 3, null));
        var coming = Summary(Guid.NewGuid(), "sales", "x", Start, escalation: new EscalationView(1, 3, Start.AddMinutes(5)));
        var none = Summary(Guid.NewGuid(), "sales", "x", Start);

        Assert.True(ranOut.EscalationRanOut);
        Assert.False(coming.EscalationRanOut);
        Assert.False(none.EscalationRanOut);
        Assert.False((ranOut with { Request = ranOut.Request with { Acknowledgement = new AcknowledgementView("Ann", Start, AcknowledgementVia.Api) } }).EscalationRanOut);
    }
}
