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

    /// <summary>A token made with the right key but by other rules than this version's: what a forged or future format looks like.</summary>
    private static string SignedPayload(byte[] payload) =>
        $"{System.Buffers.Text.Base64Url.EncodeToString(payload)}.{System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(Key, payload))}";

    [Fact]
    public void A_signed_token_of_another_version_is_invalid()
    {
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(LinkTokens.Sign(Key, Link).Split('.')[0]);
        payload[0] = 2;

        Assert.Equal((LinkCheck.Invalid, null), LinkTokens.Verify(Key, SignedPayload(payload), Link.ExpiresAt.AddDays(-1)));
    }

    [Fact]
    public void A_signed_token_that_names_no_channel_is_invalid()
    {
        var token = LinkTokens.Sign(Key, Link with { Channel = "" });

        Assert.Equal((LinkCheck.Invalid, null), LinkTokens.Verify(Key, token, Link.ExpiresAt.AddDays(-1)));
    }

    [Fact]
    public void A_token_of_512_characters_verifies_and_a_longer_one_is_invalid_unread()
    {
        var longest = Link with { Channel = new string('c', 326) }; // 351 bytes of payload: 468 + 1 + 43 characters
        var tooLong = Link with { Channel = new string('c', 327) };

        var token = LinkTokens.Sign(Key, longest);
        Assert.Equal(512, token.Length);
        Assert.Equal((LinkCheck.Valid, longest), LinkTokens.Verify(Key, token, Link.ExpiresAt.AddDays(-1)));
        var longer = LinkTokens.Sign(Key, tooLong);
        Assert.True(longer.Length > 512);
        Assert.Equal((LinkCheck.Invalid, null), LinkTokens.Verify(Key, longer, Link.ExpiresAt.AddDays(-1)));
    }

    [Fact]
    public void A_link_is_valid_until_the_second_before_its_expiry()
    {
        var token = LinkTokens.Sign(Key, Link);

        Assert.Equal(LinkCheck.Valid, LinkTokens.Verify(Key, token, Link.ExpiresAt.AddTicks(-1)).Check);
        Assert.Equal(LinkCheck.Expired, LinkTokens.Verify(Key, token, Link.ExpiresAt).Check);
        Assert.Equal(LinkCheck.Expired, LinkTokens.Verify(Key, token, Link.ExpiresAt.AddYears(1)).Check);
    }
}
