using System.Text;
using AssistanceRouter.Grains.Links;
using Microsoft.Extensions.Time.Testing;

namespace AssistanceRouter.Tests.Links;

/// <summary>The token of a "Take it" link: only the key's holder can make one, and it stops working at its expiry.</summary>
public sealed class LinkTokensTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a signing key of at least 32 characters");
    private static readonly TakeLink Link = new(Guid.Parse("0191e3a4-7b2c-7d4e-9f00-123456789abc"), "slack", DateTimeOffset.Parse("2026-12-01T10:00:00Z"));

    [Fact]
    public void A_signed_link_verifies_with_its_request_channel_and_expiry()
    {
        var token = LinkTokens.Sign(Key, Link);

        Assert.Equal((LinkCheck.Valid, Link), LinkTokens.Verify(Key, token, Link.ExpiresAt.AddSeconds(-1)));
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$", token); // URL-safe as it is, no padding
    }

    [Fact]
    public void It_expires_at_its_time_and_then_says_so()
    {
        var clock = new FakeTimeProvider(Link.ExpiresAt.AddDays(-7));
        var token = LinkTokens.Sign(Key, Link);
        Assert.Equal(LinkCheck.Valid, LinkTokens.Verify(Key, token, clock.GetUtcNow()).Check);

        clock.Advance(TimeSpan.FromDays(7));

        Assert.Equal((LinkCheck.Expired, Link), LinkTokens.Verify(Key, token, clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(0)]   // the version
    [InlineData(5)]   // the request id
    [InlineData(20)]  // the expiry
    [InlineData(26)]  // the channel
    public void Changing_any_byte_of_what_it_says_breaks_it(int index)
    {
        var token = LinkTokens.Sign(Key, Link);
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]);
        payload[index] ^= 1;
        var changed = System.Buffers.Text.Base64Url.EncodeToString(payload) + "." + token.Split('.')[1];

        Assert.Equal((LinkCheck.Invalid, null), LinkTokens.Verify(Key, changed, Link.ExpiresAt.AddDays(-1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("a.b.c")]
    [InlineData("!!!.###")]
    [InlineData("AQ.AQ")]
    public void Anything_else_is_invalid(string token) =>
        Assert.Equal(LinkCheck.Invalid, LinkTokens.Verify(Key, token, Link.ExpiresAt.AddDays(-1)).Check);

    [Fact]
    public void Another_key_or_a_cut_signature_does_not_verify()
    {
        var token = LinkTokens.Sign(Key, Link);

        Assert.Equal(LinkCheck.Invalid, LinkTokens.Verify(Encoding.UTF8.GetBytes("another key of at least 32 characters!!"), token, Link.ExpiresAt.AddDays(-1)).Check);
        Assert.Equal(LinkCheck.Invalid, LinkTokens.Verify(Key, token[..^1], Link.ExpiresAt.AddDays(-1)).Check);
    }
}
