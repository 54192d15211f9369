using AssistanceRouter.Grains.Keys;
using AssistanceRouter.Grains.Links;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Email over SMTP (MailKit): the server accepting the message is the acknowledgement.</summary>
public sealed class EmailKind : IChannelKind
{
    public string Name => "Email";
    public double DefaultRatePerSecond => 10;
    public int DefaultBurst => 10;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services)
    {
        var s = channel.Section;
        var missing = new[] { "Host", "From", "To" }.Where(key => string.IsNullOrWhiteSpace(s[key])).ToArray();
        if (missing.Length > 0)
            return SenderSetup.NotConfigured(
                $"channel '{channel.Name}' is not configured: set {string.Join(", ", missing.Select(k => $"Channels__{s.Key}__{k}"))}");
        if (!MailboxAddress.TryParse(s["From"], out var from))
            return SenderSetup.NotConfigured($"channel '{channel.Name}' has an invalid From address: '{s["From"]}'");
        // Lists separated by ',' or ';', as people write them.
        if (!InternetAddressList.TryParse(s["To"]!.Replace(';', ','), out var to))
            return SenderSetup.NotConfigured($"channel '{channel.Name}' has an invalid To address list: '{s["To"]}'");
        var port = s.GetValue<int?>("Port") ?? 25;
        var useTls = s.GetValue<bool?>("UseTls");
        var settings = new SmtpSettings(s["Host"]!, port, from, to, s["Username"], s["Password"], useTls)
        {
            IdDomain = from.Domain is { Length: > 0 } domain ? domain : services.GetRequiredService<TakeLinks>().PublicUrl?.Host ?? "localhost",
        };
        return SenderSetup.Ready(new EmailSender(settings, services.GetRequiredService<Installation>(), services.GetRequiredService<ILogger<EmailSender>>()));
    }
}

/// <summary><see cref="UseTls"/>: true requires TLS, false never uses it, unset uses it when the server offers it.</summary>
public sealed record SmtpSettings(string Host, int Port, MailboxAddress From, InternetAddressList To, string? Username, string? Password, bool? UseTls)
{
    /// <summary>The domain of the Message-Ids: the From address's (or <c>Api:PublicUrl</c>'s host when From has none).</summary>
    public string IdDomain { get; init; } = From.Domain is { Length: > 0 } domain ? domain : "localhost";

    public SecureSocketOptions SocketOptions => UseTls switch
    {
        false => SecureSocketOptions.None,
        true => Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
        null => SecureSocketOptions.Auto,
    };
}

public sealed class EmailSender(SmtpSettings settings, Installation installation, ILogger<EmailSender> logger) : IChannelSender
{
    public async Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        var mail = Compose(notice, await installation.IdAsync());
        try
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Host, settings.Port, settings.SocketOptions, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return SendResult.Delivered;
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            return SendResult.Permanent($"SMTP {(int)ex.StatusCode}: {ex.Message}");
        }
        catch (SmtpCommandException ex)
        {
            return SendResult.Transient($"SMTP {(int)ex.StatusCode}: {ex.Message}");
        }
        catch (AuthenticationException ex)
        {
            return SendResult.Permanent($"SMTP authentication failed: {ex.Message}");
        }
        catch (NotSupportedException ex)
        {
            // The server lacks what the settings require (AUTH for a Username, STARTTLS for UseTls): no retry mends that.
            return SendResult.Permanent($"SMTP server {settings.Host} cannot do what the settings ask: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or ServiceNotConnectedException)
        {
            logger.LogDebug(ex, "SMTP send of {DeliveryId} failed", notice.DeliveryId);
            return SendResult.Transient($"SMTP connection failed: {ex.Message}");
        }
    }

    /// <summary>
    /// The request's title and first words as the subject (a mailbox list tells requests apart by it); the notice's lead,
    /// the text, the take and conversation links and the request id in the body. The Message-Id is stable across retries
    /// and unique across installations (<paramref name="installationId"/>): <c>&lt;{delivery id}.{installation}@{domain}&gt;</c>.
    /// Every later notice of the request answers the first, so that mail clients show one thread. Marked as sent by a
    /// machine (RFC 3834), so that out-of-office replies do not come back.
    /// </summary>
    public MimeMessage Compose(OutgoingNotice notice, string installationId)
    {
        var words = new NoticeText(notice);
        var links = (HttpDelivery.LinkUrl(words.TakeUrl) is { } take ? $"\nTake it: {take}\n" : "")
            + (HttpDelivery.LinkUrl(words.ConversationUrl) is { } url ? $"\nJoin the conversation: {url}\n" : "");
        var details = $"""

            Request: {words.RequestId}
            Received: {notice.CreatedAt:u}
            """;
        var answersTheFirst = words.Kind is NoticeKind.StillWaiting or NoticeKind.Taken or NoticeKind.Resolved;
        var text = words.AsksToTake ? $"{words.Lead}\n\n{words.Description}\n{links}{details}" : $"{words.Lead}\n{details}";
        var mail = new MimeMessage
        {
            Subject = answersTheFirst ? $"Re: {words.RequestTitleInWords}" : words.RequestTitleInWords,
            MessageId = MessageId(notice.DeliveryId, installationId),
            Body = new TextPart("plain") { Text = text },
        };
        if (notice.DeliveryId != notice.ThreadId)
        {
            mail.InReplyTo = MessageId(notice.ThreadId, installationId);
            mail.References.Add(MessageId(notice.ThreadId, installationId));
        }
        mail.From.Add(settings.From);
        mail.To.AddRange(settings.To);
        mail.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        // Exchange's own switch for the same: no out-of-office or auto-replies (delivery reports still come).
        mail.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply");
        mail.Headers.Add("X-Assistance-Request-Id", notice.RequestId.ToString());
        return mail;
    }

    private string MessageId(string localId, string installationId) => $"{Installation.GlobalId(localId, installationId)}@{settings.IdDomain}";
}
