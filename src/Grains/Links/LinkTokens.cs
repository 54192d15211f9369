using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AssistanceRouter.Grains.Links;

public enum LinkCheck { Valid, Invalid, Expired }

/// <summary>
/// The token of a link: <c>base64url(payload).base64url(HMAC-SHA256(key, payload))</c>, the payload being a version
/// byte, the request id, the expiry (Unix seconds) and the channel's name. Nothing in it is secret but the signature.
/// </summary>
public static class LinkTokens
{
    private const byte Version = 1;
    private const int FixedLength = 1 + 16 + 8;
    private const int MaxTokenLength = 512;

    public static string Sign(ReadOnlySpan<byte> key, TakeLink link)
    {
        var channel = Encoding.UTF8.GetBytes(link.Channel);
        var payload = new byte[FixedLength + channel.Length];
        payload[0] = Version;
        link.RequestId.TryWriteBytes(payload.AsSpan(1, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(17, 8), link.ExpiresAt.ToUnixTimeSeconds());
        channel.CopyTo(payload.AsSpan(FixedLength));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, payload))}";
    }

    /// <summary>
    /// <see cref="LinkCheck.Invalid"/> for anything not signed with <paramref name="key"/> (cut short, altered, made up);
    /// <see cref="LinkCheck.Expired"/> only for a genuine link past its time, which then comes back too.
    /// </summary>
    public static (LinkCheck Check, TakeLink? Link) Verify(ReadOnlySpan<byte> key, string token, DateTimeOffset now)
    {
        if (token.Length > MaxTokenLength || token.Split('.') is not [var encodedPayload, var encodedMac]) return (LinkCheck.Invalid, null);
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(encodedPayload);
            mac = Base64Url.DecodeFromChars(encodedMac);
        }
        catch (FormatException)
        {
            return (LinkCheck.Invalid, null);
        }
        if (payload.Length <= FixedLength || payload[0] != Version
            || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload)))
            return (LinkCheck.Invalid, null);
        var link = new TakeLink(
            new Guid(payload.AsSpan(1, 16), bigEndian: true),
            Encoding.UTF8.GetString(payload.AsSpan(FixedLength)),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(17, 8))));
        return (now >= link.ExpiresAt ? LinkCheck.Expired : LinkCheck.Valid, link);
    }
}
