using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Tests.Channels;

/// <summary>What each kind of notice tells a person, before any sender lays it out.</summary>
public sealed class NoticeTextTests
{
    private static readonly Guid RequestId = Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc");
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-26T10:00:00Z");
    private const string Words = "I need help with my order, it never arrived and the tracking page says it was delivered to someone else";

    private static NoticeText Text(NoticeKind kind, string description = Words, TimeSpan? waited = null) =>
        new(new OutgoingNotice(RequestId, "slack", "sales", description, Created)
        {
            Kind = kind,
            By = kind is NoticeKind.Taken or NoticeKind.Resolved ? "Priya" : null,
            At = Created + (waited ?? TimeSpan.FromMinutes(3)),
            TakeUrl = "https://help.example.test/take/t",
            ConversationUrl = "https://chat.example.test/c/1",
        });

    [Fact]
    public void Taken_names_the_request_by_its_topic_and_first_words_and_how_long_it_waited() =>
        Assert.Equal("Taken by Priya: sales — “I need help with my order, it never arrived and the tracking page says it was…” (waited 3 min)",
            Text(NoticeKind.Taken).Summary);

    [Fact]
    public void Resolved_names_the_request_the_same_way() =>
        Assert.Equal("Resolved by Priya: sales — “I need help with my order, it never arrived and the tracking page says it was…” (after 2 h 5 min)",
            Text(NoticeKind.Resolved, waited: TimeSpan.FromMinutes(125)).Summary);

    [Theory]
    [InlineData(NoticeKind.Request, "Assistance request: sales", "A customer needs help with sales.")]
    [InlineData(NoticeKind.StillWaiting, "Still waiting (3 min): sales", "Still waiting after 3 min: nobody has taken this yet.")]
    [InlineData(NoticeKind.Taken, "Taken by Priya", "Taken by Priya: sales — “")]
    [InlineData(NoticeKind.Resolved, "Resolved by Priya", "Resolved by Priya: sales — “")]
    public void Every_kind_has_its_title_and_lead(NoticeKind kind, string title, string lead)
    {
        var text = Text(kind);

        Assert.Equal(title, text.Title);
        Assert.StartsWith(lead, text.Lead);
        Assert.Equal("Assistance request: sales", text.RequestTitle);
    }

    [Theory]
    [InlineData(NoticeKind.Request)]
    [InlineData(NoticeKind.StillWaiting)]
    [InlineData(NoticeKind.Taken)]
    [InlineData(NoticeKind.Resolved)]
    public void Every_kind_names_the_request_in_words(NoticeKind kind)
    {
        var summary = Text(kind).Summary;

        Assert.Contains("sales", summary);
        Assert.Contains("I need help with my order", summary);
    }

    [Theory]
    [InlineData(NoticeKind.Request, true)]
    [InlineData(NoticeKind.StillWaiting, true)]
    [InlineData(NoticeKind.Taken, false)]
    [InlineData(NoticeKind.Resolved, false)]
    public void Only_a_notice_asking_someone_to_take_the_request_carries_its_links(NoticeKind kind, bool links)
    {
        var text = Text(kind);

        Assert.Equal(links, text.TakeUrl is not null);
        Assert.Equal(links, text.ConversationUrl is not null);
    }

    [Fact]
    public void A_request_notice_previews_more_of_the_text_than_a_notice_about_it_names()
    {
        var description = string.Join(' ', Enumerable.Repeat("word", 100));

        var preview = Text(NoticeKind.Request, description).Summary["Assistance request (sales): ".Length..];
        var taken = Text(NoticeKind.Taken, description).Summary;
        var naming = taken[(taken.IndexOf('“') + 1)..taken.IndexOf('”')];

        Assert.InRange(preview.Length, NoticeText.PreviewLength - 5, NoticeText.PreviewLength);
        Assert.InRange(naming.Length, NoticeText.NamingLength - 5, NoticeText.NamingLength);
        Assert.EndsWith("word…", preview);
        Assert.EndsWith("word…", naming);
    }

    [Theory]
    [InlineData("I need help", 80, "I need help")]
    [InlineData("I need  help\nwith\tmy order", 80, "I need help with my order")]
    [InlineData("I need help with my order", 20, "I need help with my…")]
    [InlineData("I need help with my order", 21, "I need help with my…")]
    [InlineData("I need help with my order", 25, "I need help with my order")]
    [InlineData("Supercalifragilisticexpialidocious words", 12, "Supercalifr…")]
    [InlineData("a verylongwordthatgoesonandon", 12, "a verylongw…")]
    public void First_words_end_at_a_word_unless_that_would_leave_too_little(string text, int limit, string expected)
    {
        var first = NoticeText.FirstWords(text, limit);

        Assert.Equal(expected, first);
        Assert.True(first.Length <= limit, first);
    }

    [Fact]
    public void First_words_never_cut_a_surrogate_pair()
    {
        var text = new string('a', 8) + string.Concat(Enumerable.Repeat("🙂", 10));

        var first = NoticeText.FirstWords(text, 10);

        Assert.Equal(new string('a', 8) + "…", first);
        Assert.True(first.EnumerateRunes().All(r => r != System.Text.Rune.ReplacementChar), first);
    }
}
