using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.Accounts.Links;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts;

/// <summary>
/// On a database without any account and with <c>Omct:Accounts:FirstAdministratorEmail</c> set: makes that ADMIN
/// account (RESTRICTED clearance) once the host has started, and writes its one-time setup link to the log — the one
/// link ever logged, because nobody can receive an e-mail from a platform without an administrator yet.
/// </summary>
internal sealed class FirstAdministrator(IServiceScopeFactory scopes, IOptions<AccountsOptions> options, ILogger<FirstAdministrator> log)
    : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (options.Value.FirstAdministratorEmail is not { Length: > 0 } email)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("first-administrator"));
        await using (var query = scope.ServiceProvider.GetRequiredService<IDocumentStore>().QuerySession())
        {
            if (await query.Query<Account>().AnyAsync(cancellationToken))
            {
                return;
            }
        }

        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            DisplayName = "Administrator",
            Role = Role.Admin,
            Clearance = Confidentiality.Restricted,
            CreatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
            CreatedBy = "system:first-administrator",
        };
        await accounts.Users.SetEmailAsync(account, email.Trim());
        await accounts.Users.SetUserNameAsync(account, email.Trim());
        var created = await accounts.Users.CreateAsync(account);
        if (!created.Succeeded)
        {
            // Another host made it at the same moment (the unique e-mail index), or the address is refused.
            log.LogWarning("The first administrator was not created: {Errors}", string.Join("; ", created.Errors.Select(e => e.Description)));
            return;
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountInvited(account.Email, account.Role, account.Clearance, null), cancellationToken, "system:first-administrator");
        var url = await accounts.CreateLinkAsync(account, LinkPurpose.Invitation, cancellationToken);
        log.LogWarning("First administrator {Email}: open {SetupLink} within {Hours} hours to choose a password and set up an authenticator app (the link works once)",
            account.Email, url, options.Value.InvitationLinkHours);
    }
}
