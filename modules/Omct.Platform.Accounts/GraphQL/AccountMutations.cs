using GraphQL;
using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Identity;
using Omct.Platform.Accounts.Links;
using Omct.Platform.Accounts.Sessions;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Accounts.GraphQL;

/// <summary>
/// The account's own factors and sessions (a signed-in person only: an API key has no account), and the admin's
/// account management — always within the admin's clearance: an account above it is NOT_FOUND, like an unknown id,
/// and nobody gives a clearance above their own. Every change is in the account's audit trail.
/// </summary>
internal static class AccountMutations
{
    private static readonly Role[] AccountRoles = [Role.NetworkMember, Role.Staff, Role.Editor, Role.Admin];

    public static void Register(ObjectGraphType mutation)
    {
        Own<AuthenticatorEnrolmentPayloadGraphType>(mutation, "beginAuthenticatorEnrolment",
            "Starts enrolling a (new) authenticator app: returns its key, to be confirmed with a code by confirmAuthenticatorEnrolment. The current one stays until then.",
            BeginEnrolmentAsync);
        Own<RecoveryCodesPayloadGraphType>(mutation, "confirmAuthenticatorEnrolment",
            "Confirms the authenticator app with a code from it: it becomes your second factor, and new recovery codes are returned (shown once).",
            ConfirmEnrolmentAsync, ("code", typeof(NonNullGraphType<StringGraphType>)));
        Own<RecoveryCodesPayloadGraphType>(mutation, "regenerateRecoveryCodes",
            "New recovery codes (shown once); the old ones stop working.", RegenerateCodesAsync);
        Own<AccountPayloadGraphType>(mutation, "removePasskey", "Removes one of your passkeys.", RemovePasskeyAsync,
            ("passkeyId", typeof(NonNullGraphType<IdGraphType>)));
        Own<AccountPayloadGraphType>(mutation, "revokeSession", "Ends one of your sessions (the current one too).", RevokeSessionAsync,
            ("sessionId", typeof(NonNullGraphType<IdGraphType>)));

        Admin(mutation, "inviteAccount",
            "ADMIN: makes an account (role, clearance not above yours) and e-mails the person a one-time link to set a password and a second factor.",
            InviteAsync,
            ("email", typeof(NonNullGraphType<StringGraphType>)), ("displayName", typeof(NonNullGraphType<StringGraphType>)),
            ("role", typeof(NonNullGraphType<RoleGraphType>)), ("clearance", typeof(NonNullGraphType<ConfidentialityGraphType>)),
            ("organisationId", typeof(IdGraphType)));
        Admin(mutation, "changeAccountRole", "ADMIN: another role and clearance (not above yours); the account's sessions end at once.",
            ChangeRoleAsync,
            ("id", typeof(NonNullGraphType<IdGraphType>)), ("role", typeof(NonNullGraphType<RoleGraphType>)),
            ("clearance", typeof(NonNullGraphType<ConfidentialityGraphType>)));
        Admin(mutation, "disableAccount", "ADMIN: the account can no longer sign in and its sessions end at once. Accounts are never deleted.",
            DisableAsync, ("id", typeof(NonNullGraphType<IdGraphType>)));
        Admin(mutation, "resetSecondFactor",
            "ADMIN: removes the account's authenticator app and recovery codes (a lost phone), ends its sessions and e-mails a one-time link to enrol a new one.",
            ResetSecondFactorAsync, ("id", typeof(NonNullGraphType<IdGraphType>)));
    }

    private static void Own<TPayload>(ObjectGraphType mutation, string name, string description,
        Func<IResolveFieldContext, Account, Dictionary<string, object?>, Task<object>> resolve, params (string Name, Type Type)[] fields)
        where TPayload : IGraphType
    {
        var input = InputType(name, fields);
        mutation.Field<NonNullGraphType<TPayload>>(name)
            .Description(description + " Needs a signed-in person (a session), not an API key.")
            .Arguments(new QueryArgument(new NonNullGraphType(input)) { Name = "input" })
            .RequireRole(Role.NetworkMember)
            .ResolveAsync(async ctx =>
            {
                var arguments = ctx.GetArgument<Dictionary<string, object?>>("input");
                var account = await AccountCallerFields.OwnAccountAsync(ctx) ?? throw DomainException.Forbidden();
                CheckClientMutationId(arguments);
                return await resolve(ctx, account, arguments);
            });
    }

    private static void Admin(ObjectGraphType mutation, string name, string description,
        Func<IResolveFieldContext, Dictionary<string, object?>, Task<object>> resolve, params (string Name, Type Type)[] fields)
    {
        var input = InputType(name, fields);
        mutation.Field<NonNullGraphType<AccountPayloadGraphType>>(name)
            .Description(description)
            .Arguments(new QueryArgument(new NonNullGraphType(input)) { Name = "input" })
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                var arguments = ctx.GetArgument<Dictionary<string, object?>>("input");
                CheckClientMutationId(arguments);
                return await resolve(ctx, arguments);
            });
    }

    private static InputObjectGraphType InputType(string mutation, (string Name, Type Type)[] fields)
    {
        var type = new InputObjectGraphType { Name = char.ToUpperInvariant(mutation[0]) + mutation[1..] + "Input" };
        foreach (var (name, graphType) in fields)
        {
            type.AddField(new FieldType { Name = name, Type = graphType });
        }

        type.AddField(new FieldType { Name = "clientMutationId", Type = typeof(StringGraphType) });
        return type;
    }

    private static void CheckClientMutationId(Dictionary<string, object?> input)
    {
        if (input.GetValueOrDefault("clientMutationId") is string { Length: > 200 })
        {
            throw DomainException.Validation("clientMutationId", "The clientMutationId may have at most 200 characters.");
        }
    }

    private static string? Cmid(Dictionary<string, object?> input) => input.GetValueOrDefault("clientMutationId") as string;

    private static async Task<Account> SaveAsync(AccountService accounts, Account account)
    {
        var result = await accounts.Users.UpdateAsync(account);
        return result.Succeeded ? account
            : result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? throw DomainException.Conflict("The account was changed by someone else at the same moment. Try again.")
                : throw DomainException.Validation("input", result.Errors.First().Description);
    }

    // The person's own account.

    private static async Task<object> BeginEnrolmentAsync(IResolveFieldContext ctx, Account account, Dictionary<string, object?> input)
    {
        var accounts = ctx.Service<AccountService>();
        var key = accounts.Users.GenerateNewAuthenticatorKey();
        await using var session = ctx.Service<IDocumentStore>().LightweightSession();
        session.Store(new PendingAuthenticator { Id = account.Id, Key = key, CreatedAt = ctx.Service<TimeProvider>().GetUtcNow() });
        await session.SaveChangesAsync(ctx.CancellationToken);
        return new AuthenticatorEnrolmentPayload(key, $"otpauth://totp/OMCT:{Uri.EscapeDataString(account.Email)}?secret={key}&issuer=OMCT&digits=6", Cmid(input));
    }

    private static async Task<object> ConfirmEnrolmentAsync(IResolveFieldContext ctx, Account account, Dictionary<string, object?> input)
    {
        var accounts = ctx.Service<AccountService>();
        var code = ((input.GetValueOrDefault("code") as string) ?? "").Replace(" ", "", StringComparison.Ordinal);
        await using var query = ctx.Service<IDocumentStore>().QuerySession();
        var pending = await query.LoadAsync<PendingAuthenticator>(account.Id, ctx.CancellationToken);
        if (pending is null || pending.CreatedAt.AddMinutes(30) < ctx.Service<TimeProvider>().GetUtcNow())
        {
            throw DomainException.Validation("code", "Start the enrolment first (beginAuthenticatorEnrolment); it lasts 30 minutes.");
        }

        // The code is checked against the pending key, in memory only, with Identity's authenticator provider.
        var current = account.AuthenticatorKey;
        account.AuthenticatorKey = pending.Key;
        if (code.Length is 0 or > 10 || !await accounts.Users.VerifyTwoFactorTokenAsync(account, accounts.Users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            account.AuthenticatorKey = current;
            throw DomainException.Validation("code", "The code is wrong or has expired.");
        }

        account.TwoFactorEnabled = true;
        var codes = (await accounts.Users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToList();
        await using (var session = ctx.Service<IDocumentStore>().LightweightSession())
        {
            session.Delete<PendingAuthenticator>(account.Id);
            await session.SaveChangesAsync(ctx.CancellationToken);
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountAuthenticatorEnrolled(), ctx.CancellationToken);
        await accounts.Audit.RecordAsync(account.Id, new AccountRecoveryCodesRegenerated(codes.Count), ctx.CancellationToken);
        await accounts.NotifyAsync(account, "a new authenticator app", "A new authenticator app was enrolled for your account. If this was not you, tell an administrator now.", ctx.CancellationToken);
        return new RecoveryCodesPayload(codes, account, Cmid(input));
    }

    private static async Task<object> RegenerateCodesAsync(IResolveFieldContext ctx, Account account, Dictionary<string, object?> input)
    {
        var accounts = ctx.Service<AccountService>();
        if (!account.TwoFactorEnabled)
        {
            throw DomainException.Validation("input", "Enrol an authenticator app first: recovery codes stand in for its codes.");
        }

        var codes = (await accounts.Users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToList();
        await accounts.Audit.RecordAsync(account.Id, new AccountRecoveryCodesRegenerated(codes.Count), ctx.CancellationToken);
        await accounts.NotifyAsync(account, "new recovery codes", "New recovery codes were made for your account; the old ones no longer work. If this was not you, tell an administrator now.", ctx.CancellationToken);
        return new RecoveryCodesPayload(codes, account, Cmid(input));
    }

    private static async Task<object> RemovePasskeyAsync(IResolveFieldContext ctx, Account account, Dictionary<string, object?> input)
    {
        var accounts = ctx.Service<AccountService>();
        var key = input.GetValueOrDefault("passkeyId") as string;
        var passkey = account.Passkeys.FirstOrDefault(p => p.CredentialKey == key) ?? throw DomainException.NotFound("The passkey");
        var result = await accounts.Users.RemovePasskeyAsync(account, passkey.CredentialId);
        if (!result.Succeeded)
        {
            throw DomainException.Conflict("The account was changed by someone else at the same moment. Try again.");
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountPasskeyRemoved(), ctx.CancellationToken);
        await accounts.NotifyAsync(account, "a passkey was removed", "A passkey was removed from your account. If this was not you, tell an administrator now.", ctx.CancellationToken);
        return new AccountPayload(account, Cmid(input));
    }

    private static async Task<object> RevokeSessionAsync(IResolveFieldContext ctx, Account account, Dictionary<string, object?> input)
    {
        if (!GlobalId.TryDecode(input.GetValueOrDefault("sessionId") as string, AccountSessionGraphType.TypeName, out var id))
        {
            throw DomainException.NotFound("The session");
        }

        await using var session = ctx.Service<IDocumentStore>().LightweightSession();
        var stored = await session.LoadAsync<AccountSession>(id, ctx.CancellationToken);
        if (stored is null || stored.AccountId != account.Id)
        {
            throw DomainException.NotFound("The session");
        }

        if (stored.RevokedAt is null)
        {
            stored.RevokedAt = ctx.Service<TimeProvider>().GetUtcNow();
            session.Update(stored);
            await session.SaveChangesAsync(ctx.CancellationToken);
            await ctx.Service<AccountService>().Audit.RecordAsync(account.Id, new AccountSessionRevoked(id), ctx.CancellationToken);
        }

        return new AccountPayload(account, Cmid(input));
    }

    // Admin.

    private static Role ValidRole(object? value) =>
        value is Role role && AccountRoles.Contains(role) ? role
            : throw DomainException.Validation("role", "An account's role is NETWORK_MEMBER, STAFF, EDITOR or ADMIN.");

    private static Confidentiality ValidClearance(Caller admin, object? value)
    {
        var clearance = value is Confidentiality level ? level : throw DomainException.Validation("clearance", "A clearance is required.");
        return admin.CanSee(clearance) ? clearance : throw DomainException.Validation("clearance", "An account's clearance cannot be higher than your own.");
    }

    /// <summary>The account of <paramref name="globalId"/> if the admin may manage it (within its clearance), else NOT_FOUND.</summary>
    private static async Task<Account> ManagedAsync(IResolveFieldContext ctx, object? globalId)
    {
        if (!GlobalId.TryDecode(globalId as string, AccountGraphType.TypeName, out var id))
        {
            throw DomainException.NotFound("The account");
        }

        var account = await ctx.Service<AccountService>().Users.FindByIdAsync(id.ToString());
        return account is not null && ctx.GetCaller().CanSee(account.Clearance) ? account : throw DomainException.NotFound("The account");
    }

    private static async Task<object> InviteAsync(IResolveFieldContext ctx, Dictionary<string, object?> input)
    {
        var admin = ctx.GetCaller();
        var accounts = ctx.Service<AccountService>();
        var email = (input.GetValueOrDefault("email") as string)?.Trim() ?? "";
        var name = (input.GetValueOrDefault("displayName") as string)?.Trim() ?? "";
        if (email.Length is < 3 or > 320 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw DomainException.Validation("email", "Not an e-mail address.");
        }

        if (name.Length is 0 or > 100)
        {
            throw DomainException.Validation("displayName", "The name must have between 1 and 100 characters.");
        }

        var role = ValidRole(input.GetValueOrDefault("role"));
        var clearance = ValidClearance(admin, input.GetValueOrDefault("clearance"));
        Guid? organisationId = null;
        if (input.GetValueOrDefault("organisationId") is string organisation)
        {
            var resolver = ctx.Service<IEnumerable<INodeResolver>>().FirstOrDefault(r => r.TypeName == "Organisation");
            if (!GlobalId.TryDecode(organisation, "Organisation", out var decoded) || resolver is null || await resolver.ResolveAsync(ctx, decoded) is null)
            {
                throw DomainException.Validation("organisationId", "There is no such organisation.");
            }

            organisationId = decoded;
        }

        var store = ctx.Service<IDocumentStore>();
        return await ctx.Service<MutationPipeline>().RunAsync("inviteAccount", Cmid(input), async first =>
        {
            await using var query = store.QuerySession();
            var earlier = await query.LoadAsync<Account>(first, ctx.CancellationToken);
            return earlier is not null && admin.CanSee(earlier.Clearance) ? new AccountPayload(earlier, Cmid(input)) : throw DomainException.NotFound("The account");
        }, async receipt =>
        {
            var account = new Account
            {
                Id = Guid.CreateVersion7(),
                Email = email,
                DisplayName = name,
                Role = role,
                Clearance = clearance,
                OrganisationId = organisationId,
                CreatedAt = ctx.Service<TimeProvider>().GetUtcNow(),
                CreatedBy = admin.Id,
            };
            var created = await accounts.Users.CreateAsync(account);
            if (!created.Succeeded)
            {
                throw created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail) || e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                    ? DomainException.Validation("email", "An account already has this e-mail address.")
                    : DomainException.Validation("input", created.Errors.First().Description);
            }

            account = (await accounts.Users.FindByIdAsync(account.Id.ToString()))!;
            await using (var session = store.LightweightSession())
            {
                session.LastModifiedBy = admin.Id;
                session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString();
                if (Cmid(input) is { } clientMutationId)
                {
                    session.SetHeader("clientMutationId", clientMutationId);
                }

                session.Events.Append(account.Id, new AccountInvited(account.Email, role, clearance, organisationId));
                receipt.Record(session, account.Id);
                await session.SaveChangesAsync(ctx.CancellationToken);
            }

            var url = await accounts.CreateLinkAsync(account, LinkPurpose.Invitation, ctx.CancellationToken);
            await accounts.NotifyAsync(account, "your account",
                $"{admin.Name} made an account for you on the OMCT platform. Open this link within {accounts.Options.InvitationLinkHours} hours to choose a password" +
                (account.RequiresSecondFactor ? " and set up an authenticator app" : "") + $"; it works once:\n\n{url}\n", ctx.CancellationToken);
            return new AccountPayload(account, Cmid(input));
        }, ctx.CancellationToken);
    }

    private static async Task<object> ChangeRoleAsync(IResolveFieldContext ctx, Dictionary<string, object?> input)
    {
        var admin = ctx.GetCaller();
        var account = await ManagedAsync(ctx, input.GetValueOrDefault("id"));
        var role = ValidRole(input.GetValueOrDefault("role"));
        var clearance = ValidClearance(admin, input.GetValueOrDefault("clearance"));
        if (account.Role == role && account.Clearance == clearance)
        {
            return new AccountPayload(account, Cmid(input));
        }

        var accounts = ctx.Service<AccountService>();
        account.Role = role;
        account.Clearance = clearance;
        // A new stamp: the sessions opened with the old role and clearance end at the next request.
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await SaveAsync(accounts, account);
        await accounts.EndSessionsAsync(account, ctx.CancellationToken);
        await accounts.Audit.RecordAsync(account.Id, new AccountRoleChanged(role, clearance), ctx.CancellationToken);
        return new AccountPayload(account, Cmid(input));
    }

    private static async Task<object> DisableAsync(IResolveFieldContext ctx, Dictionary<string, object?> input)
    {
        var account = await ManagedAsync(ctx, input.GetValueOrDefault("id"));
        if (account.CallerId == ctx.GetCaller().Id)
        {
            throw DomainException.Validation("id", "You cannot disable your own account.");
        }

        if (account.Disabled)
        {
            return new AccountPayload(account, Cmid(input));
        }

        var accounts = ctx.Service<AccountService>();
        account.DisabledAt = ctx.Service<TimeProvider>().GetUtcNow();
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await SaveAsync(accounts, account);
        await accounts.EndSessionsAsync(account, ctx.CancellationToken);
        await accounts.Audit.RecordAsync(account.Id, new AccountDisabled(), ctx.CancellationToken);
        return new AccountPayload(account, Cmid(input));
    }

    private static async Task<object> ResetSecondFactorAsync(IResolveFieldContext ctx, Dictionary<string, object?> input)
    {
        var account = await ManagedAsync(ctx, input.GetValueOrDefault("id"));
        if (account.Disabled)
        {
            throw DomainException.Validation("id", "The account is disabled.");
        }

        var accounts = ctx.Service<AccountService>();
        account.AuthenticatorKey = null;
        account.TwoFactorEnabled = false;
        account.RecoveryCodeHashes = [];
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await SaveAsync(accounts, account);
        await accounts.EndSessionsAsync(account, ctx.CancellationToken);
        await accounts.Audit.RecordAsync(account.Id, new AccountSecondFactorReset(), ctx.CancellationToken);
        var url = await accounts.CreateLinkAsync(account, LinkPurpose.SecondFactor, ctx.CancellationToken);
        await accounts.NotifyAsync(account, "set up your second factor again",
            $"An administrator removed the authenticator app of your account. Open this link within {accounts.Options.InvitationLinkHours} hours to set up a new one (with your password); it works once:\n\n{url}\n",
            ctx.CancellationToken);
        return new AccountPayload(account, Cmid(input));
    }
}

/// <summary>An authenticator key waiting for its first code (beginAuthenticatorEnrolment), one per account.</summary>
public sealed class PendingAuthenticator
{
    public Guid Id { get; set; }
    public string Key { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed record AccountPayload(Account Account, string? ClientMutationId);

internal sealed record AuthenticatorEnrolmentPayload(string AuthenticatorKey, string AuthenticatorUri, string? ClientMutationId);

internal sealed record RecoveryCodesPayload(IReadOnlyList<string> RecoveryCodes, Account Account, string? ClientMutationId);

internal sealed class AccountPayloadGraphType : ObjectGraphType<AccountPayload>
{
    public AccountPayloadGraphType()
    {
        Name = "AccountPayload";
        Field<NonNullGraphType<AccountGraphType>>("account").Resolve(ctx => ctx.Source.Account);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class AuthenticatorEnrolmentPayloadGraphType : ObjectGraphType<AuthenticatorEnrolmentPayload>
{
    public AuthenticatorEnrolmentPayloadGraphType()
    {
        Name = "AuthenticatorEnrolmentPayload";
        Field(p => p.AuthenticatorKey).Description("The key to add to the app (base32). Shown once.");
        Field(p => p.AuthenticatorUri).Description("The same as an otpauth:// URI (for a QR code).");
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RecoveryCodesPayloadGraphType : ObjectGraphType<RecoveryCodesPayload>
{
    public RecoveryCodesPayloadGraphType()
    {
        Name = "RecoveryCodesPayload";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("recoveryCodes")
            .Description("Each works once in place of an authenticator code. Shown once: store them now.")
            .Resolve(ctx => ctx.Source.RecoveryCodes);
        Field<NonNullGraphType<AccountGraphType>>("account").Resolve(ctx => ctx.Source.Account);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}
