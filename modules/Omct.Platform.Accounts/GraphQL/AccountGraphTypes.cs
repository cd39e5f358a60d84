using System.Buffers.Text;
using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.Accounts.Sessions;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Accounts.GraphQL;

internal sealed record SessionView(AccountSession Session, bool Current);

/// <summary>The sign-in factors of an account (its own CLR type: <c>Account</c> stands for <see cref="AccountGraphType"/> only).</summary>
internal sealed record AccountFactors(Account Account);

internal sealed class AccountGraphType : ObjectGraphType<Account>
{
    public const string TypeName = "Account";

    public AccountGraphType()
    {
        Name = TypeName;
        Description = "A person's account (staff, a member organisation's person): signs in with a password and a second factor, or a passkey.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is Account;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Id));
        Field(a => a.DisplayName);
        Field(a => a.Email).Description("The address the person signs in with and receives links at.");
        Field<NonNullGraphType<RoleGraphType>>("role").Resolve(ctx => ctx.Source.Role);
        Field<NonNullGraphType<ConfidentialityGraphType>>("clearance").Resolve(ctx => ctx.Source.Clearance);
        Field<IdGraphType>("organisationId").Description("For a member organisation's person: the organisation.")
            .Resolve(ctx => ctx.Source.OrganisationId is { } id ? GlobalId.Encode("Organisation", id) : null);
        Field(a => a.Disabled).Description("A disabled account cannot sign in; its sessions ended when it was disabled.");
        Field(a => a.DisabledAt, nullable: true);
        Field(a => a.CreatedAt);
        Field(a => a.External).Description(
            "Made by a sign-in through the organisation's OpenID Connect provider: its name, role and clearance follow the provider's claims at each sign-in.");
        Field<NonNullGraphType<AccountFactorsGraphType>>("factors").Resolve(ctx => new AccountFactors(ctx.Source));
        this.FieldsShownWithRecord();
    }
}

internal sealed class AccountFactorsGraphType : ObjectGraphType<AccountFactors>
{
    public AccountFactorsGraphType()
    {
        Name = "AccountFactors";
        Description = "How the person can sign in (never the secrets themselves).";
        Field<NonNullGraphType<BooleanGraphType>>("password").Resolve(ctx => ctx.Source.Account.PasswordHash is not null);
        Field<NonNullGraphType<BooleanGraphType>>("authenticator").Description("A TOTP authenticator app is enrolled.")
            .Resolve(ctx => ctx.Source.Account.TwoFactorEnabled && ctx.Source.Account.AuthenticatorKey is not null);
        Field<NonNullGraphType<IntGraphType>>("recoveryCodesLeft").Resolve(ctx => ctx.Source.Account.RecoveryCodeHashes.Count);
        Field<NonNullGraphType<BooleanGraphType>>("secondFactorRequired").Description("From STAFF clearance up a password alone never signs in.")
            .Resolve(ctx => ctx.Source.Account.RequiresSecondFactor);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PasskeyGraphType>>>>("passkeys").Resolve(ctx => ctx.Source.Account.Passkeys);
        this.FieldsShownWithRecord();
    }
}

internal sealed class PasskeyGraphType : ObjectGraphType<StoredPasskey>
{
    public PasskeyGraphType()
    {
        Name = "Passkey";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The credential id (base64url).").Resolve(ctx => ctx.Source.CredentialKey);
        Field(p => p.Name, nullable: true);
        Field(p => p.CreatedAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class AccountSessionGraphType : ObjectGraphType<SessionView>
{
    public const string TypeName = "AccountSession";

    public AccountSessionGraphType()
    {
        Name = TypeName;
        Description = "A signed-in session of your account.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(TypeName, ctx.Source.Session.Id));
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.Session.CreatedAt);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("lastSeenAt").Description("To the minute.").Resolve(ctx => ctx.Source.Session.LastSeenAt);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("endsAt").Description("Its absolute end.").Resolve(ctx => ctx.Source.Session.EndsAt);
        Field<StringGraphType>("userAgent").Resolve(ctx => ctx.Source.Session.UserAgent);
        Field<NonNullGraphType<BooleanGraphType>>("current").Description("The session of this request.").Resolve(ctx => ctx.Source.Current);
        this.FieldsShownWithRecord();
    }
}

/// <summary><c>me.account</c> and <c>me.sessions</c>: the signed-in person's own account; null for an API key or the anonymous caller.</summary>
internal sealed class AccountCallerFields : ICallerFields
{
    public void AddTo(ObjectGraphType<Caller> callerType)
    {
        callerType.Field<AccountGraphType>("account")
            .Description("Your account when you signed in as a person (a session); null for an API key, a bearer token or the anonymous caller.")
            .AllowAnonymous()
            .ResolveAsync(async ctx => await OwnAccountAsync(ctx));
        callerType.Field<ListGraphType<NonNullGraphType<AccountSessionGraphType>>>("sessions")
            .Description("Your account's active sessions, newest first; null without an account.")
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                if (AccountIdOf(ctx.GetCaller()) is not { } id)
                {
                    return null;
                }

                var now = ctx.Service<TimeProvider>().GetUtcNow();
                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                var sessions = await session.Query<AccountSession>()
                    .Where(s => s.AccountId == id && s.RevokedAt == null && s.EndsAt > now)
                    .OrderByDescending(s => s.CreatedAt).Take(100).ToListAsync(ctx.CancellationToken);
                var current = CurrentSessionId(ctx);
                return sessions.Select(s => new SessionView(s, s.Id == current)).ToList();
            });
    }

    public static Guid? AccountIdOf(Caller caller) =>
        caller.Id is { } id && id.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(id.AsSpan(5), out var accountId) ? accountId : null;

    public static async Task<Account?> OwnAccountAsync(IResolveFieldContext ctx)
    {
        if (AccountIdOf(ctx.GetCaller()) is not { } id)
        {
            return null;
        }

        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        return await session.LoadAsync<Account>(id, ctx.CancellationToken);
    }

    public static Guid? CurrentSessionId(IResolveFieldContext ctx) =>
        ctx.Service<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext?.User.FindFirst(SessionTicketStore.SessionClaim)?.Value is { } value
        && Guid.TryParse(value, out var id) ? id : null;

    public static string PasskeyKey(byte[] id) => Base64Url.EncodeToString(id);
}

/// <summary><c>node(id)</c> and <c>auditTrail</c> for accounts: an admin's, within its clearance; nobody else's but one's own.</summary>
internal sealed class AccountNodeResolver : INodeResolver
{
    public string TypeName => AccountGraphType.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        var caller = context.GetCaller();
        await using var session = context.Service<IDocumentStore>().QuerySession();
        var account = await session.LoadAsync<Account>(id, context.CancellationToken);
        return account is not null && ((caller.HasRole(Role.Admin) && caller.CanSee(account.Clearance)) || AccountCallerFields.AccountIdOf(caller) == id)
            ? account
            : null;
    }
}
