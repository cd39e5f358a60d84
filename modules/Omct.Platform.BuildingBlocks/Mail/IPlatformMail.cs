namespace Omct.Platform.BuildingBlocks.Mail;

/// <summary>
/// A plain message to one person (an invitation, a reset link, a notice that a factor changed), sent through the
/// platform's one SMTP sender (<c>Omct:Smtp</c>). The module that owns the mail server implements it; a module that
/// needs to write to someone depends on this contract only.
/// </summary>
public interface IPlatformMail
{
    /// <summary>Whether a mail server is configured: without one, nothing can be sent.</summary>
    bool Enabled { get; }

    /// <summary>Sends <paramref name="text"/> to <paramref name="to"/>; false when it could not be sent (the reason is logged, never the text).</summary>
    Task<bool> SendAsync(string to, string subject, string text, CancellationToken cancellationToken);
}
