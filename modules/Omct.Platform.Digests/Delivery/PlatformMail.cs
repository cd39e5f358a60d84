using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Omct.Platform.BuildingBlocks.Mail;

namespace Omct.Platform.Digests.Delivery;

/// <summary>
/// <see cref="IPlatformMail"/> through the digests' SMTP sender (<c>Omct:Smtp</c>): one plain-text message, sent at
/// once (no retry queue: a link that did not arrive is asked for again). Failures are logged without the text.
/// </summary>
internal sealed class PlatformMail(EmailSender sender, IOptions<SmtpOptions> options, TimeProvider time, ILogger<PlatformMail> log) : IPlatformMail
{
    public bool Enabled => sender.Enabled;

    public async Task<bool> SendAsync(string to, string subject, string text, CancellationToken cancellationToken)
    {
        if (!sender.Enabled || !MailboxAddress.TryParse(to, out var recipient))
        {
            return false;
        }

        var message = new MimeMessage { Date = time.GetUtcNow(), Subject = subject };
        message.From.Add(MailboxAddress.Parse(options.Value.From!));
        message.To.Add(recipient);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain") { Text = text };
        var attempt = await sender.SendAsync(message, cancellationToken);
        if (!attempt.Sent)
        {
            log.LogWarning("An e-mail ({Subject}) was not sent: {Error}", subject, attempt.Error);
        }

        return attempt.Sent;
    }
}
