using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Omct.Platform.Digests.Composing;

namespace Omct.Platform.Digests.Delivery;

/// <summary>What an e-mail attempt came to: sent, refused for good (a 5xx answer about the message or its recipient), or to be tried again.</summary>
internal sealed record EmailAttempt(bool Sent, bool Permanent, string? Error);

/// <summary>
/// Sends a digest to one recipient over SMTP with MailKit (one connection per message: digests are
/// few, and a broken connection then never takes another message with it). Each delivery's message
/// has a Message-Id derived from the delivery id, the same on every attempt, so a mailbox or a
/// mail filter can drop the copy a retry sends after a crash between sending and recording.
/// </summary>
internal sealed class EmailSender(IOptions<SmtpOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public bool Enabled => options.Value.Enabled;

    public static string MessageIdOf(Guid deliveryId, string from) =>
        $"digest-{deliveryId:N}@{(MailboxAddress.TryParse(from, out var sender) ? sender.Domain : "omct.invalid")}";

    public MimeMessage Build(Digest digest, Guid deliveryId, string recipient)
    {
        var settings = options.Value;
        var message = new MimeMessage
        {
            MessageId = MessageIdOf(deliveryId, settings.From!),
            Date = time.GetUtcNow(),
            Subject = $"{digest.SubscriptionName}: {(digest.Period == Subscriptions.DigestPeriod.Daily ? "daily" : "weekly")} digest, " +
                      (digest.From == digest.To ? $"{digest.From:yyyy-MM-dd}" : $"{digest.From:yyyy-MM-dd} to {digest.To:yyyy-MM-dd}"),
        };
        message.From.Add(MailboxAddress.Parse(settings.From!));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Headers.Add("X-Omct-Digest", digest.Id.ToString());
        message.Headers.Add("X-Omct-Delivery", deliveryId.ToString());
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new BodyBuilder
        {
            TextBody = digest.Markdown,
            HtmlBody = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(message.Subject)}</title></head><body>{digest.Html}</body></html>",
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    public async Task<EmailAttempt> SendAsync(MimeMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.Auto,
            }, ct);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return new EmailAttempt(true, false, null);
        }
        catch (SmtpCommandException e)
        {
            // 5xx about the message or a mailbox is final; 4xx (greylisting, a full mailbox for now) is tried again.
            var permanent = (int)e.StatusCode >= 500 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted;
            return new EmailAttempt(false, permanent, Short($"SMTP {(int)e.StatusCode} ({e.ErrorCode}): {e.Message}"));
        }
        catch (AuthenticationException)
        {
            // Never the credentials themselves.
            return new EmailAttempt(false, false, "SMTP authentication failed (Omct:Smtp:Username / Password).");
        }
        catch (Exception e) when (e is SmtpProtocolException or SocketException or IOException or ServiceNotConnectedException or SslHandshakeException
                                      or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new EmailAttempt(false, false, Short($"SMTP {e.GetType().Name}: {e.Message}"));
        }
    }

    private static string Short(string text) => text.Length > 500 ? text[..500] : text;
}
