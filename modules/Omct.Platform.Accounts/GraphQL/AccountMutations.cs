using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Accounts.GraphQL;

/// <summary>
/// The account's own factors and sessions, and the admin's account management: the logic is in <see cref="AccountCommands"/>.
/// </summary>
[MutationFields]
internal sealed class AccountMutations
{
    private const string OwnAccount = " Needs a signed-in person (a session), not an API key.";

    [Description("Starts enrolling a (new) authenticator app: returns its key, to be confirmed with a code by confirmAuthenticatorEnrolment. The current one stays until then." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public async Task<AuthenticatorEnrolmentPayload> BeginAuthenticatorEnrolment(BeginAuthenticatorEnrolmentInput input, [FromServices] AccountCommands commands, CancellationToken ct)
    {
        var (key, uri) = await commands.BeginAuthenticatorEnrolmentAsync(input.ClientMutationId, ct);
        return new AuthenticatorEnrolmentPayload(key, uri, input.ClientMutationId);
    }

    [Description("Confirms the authenticator app with a code from it: it becomes your second factor, and new recovery codes are returned (shown once)." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public async Task<RecoveryCodesPayload> ConfirmAuthenticatorEnrolment(ConfirmAuthenticatorEnrolmentInput input, [FromServices] AccountCommands commands, CancellationToken ct)
    {
        var (account, codes) = await commands.ConfirmAuthenticatorEnrolmentAsync(input.Code, input.ClientMutationId, ct);
        return new RecoveryCodesPayload(codes, account, input.ClientMutationId);
    }

    [Description("New recovery codes (shown once); the old ones stop working." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public async Task<RecoveryCodesPayload> RegenerateRecoveryCodes(RegenerateRecoveryCodesInput input, [FromServices] AccountCommands commands, CancellationToken ct)
    {
        var (account, codes) = await commands.RegenerateRecoveryCodesAsync(input.ClientMutationId, ct);
        return new RecoveryCodesPayload(codes, account, input.ClientMutationId);
    }

    [Description("Removes one of your passkeys." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public async Task<Payload<Account>> RemovePasskey(RemovePasskeyInput input, [FromServices] AccountCommands commands, CancellationToken ct) =>
        new(await commands.RemovePasskeyAsync(input.PasskeyId, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Ends one of your sessions (the current one too)." + OwnAccount)]
    [RequireRole(Role.NetworkMember)]
    public async Task<Payload<Account>> RevokeSession(RevokeSessionInput input, [FromServices] AccountCommands commands, CancellationToken ct) =>
        new(await commands.RevokeSessionAsync(input.SessionId, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("ADMIN: makes an account (role, clearance not above yours) and e-mails the person a one-time link to set a password and a second factor.")]
    [RequireRole(Role.Admin)]
    public async Task<Payload<Account>> InviteAccount(InviteAccountInput input, [FromServices] AccountCommands commands, IResolveFieldContext ctx) =>
        new(await commands.InviteAsync(input.Email, input.DisplayName, input.Role, input.Clearance, input.OrganisationId,
            async id => ctx.Service<IEnumerable<INodeResolver>>().FirstOrDefault(r => r.TypeName == "Organisation") is { } organisations
                && await organisations.ResolveAsync(ctx, id) is not null,
            input.ClientMutationId, ctx.CancellationToken), input.ClientMutationId);

    [Description("ADMIN: another role and clearance (not above yours); the account's sessions end at once.")]
    [RequireRole(Role.Admin)]
    public async Task<Payload<Account>> ChangeAccountRole(ChangeAccountRoleInput input, [FromServices] AccountCommands commands, CancellationToken ct) =>
        new(await commands.ChangeRoleAsync(input.Id, input.Role, input.Clearance, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("ADMIN: the account can no longer sign in and its sessions end at once. Accounts are never deleted.")]
    [RequireRole(Role.Admin)]
    public async Task<Payload<Account>> DisableAccount(DisableAccountInput input, [FromServices] AccountCommands commands, CancellationToken ct) =>
        new(await commands.DisableAsync(input.Id, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("ADMIN: removes the account's authenticator app and recovery codes (a lost phone), ends its sessions and e-mails a one-time link to enrol a new one.")]
    [RequireRole(Role.Admin)]
    public async Task<Payload<Account>> ResetSecondFactor(ResetSecondFactorInput input, [FromServices] AccountCommands commands, CancellationToken ct) =>
        new(await commands.ResetSecondFactorAsync(input.Id, input.ClientMutationId, ct), input.ClientMutationId);
}

// The inputs: clientMutationId last (as the schema has always printed them), no expectedVersion.

internal sealed class BeginAuthenticatorEnrolmentInput
{
    public string? ClientMutationId { get; set; }
}

internal sealed class ConfirmAuthenticatorEnrolmentInput
{
    public string Code { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

internal sealed class RegenerateRecoveryCodesInput
{
    public string? ClientMutationId { get; set; }
}

internal sealed class RemovePasskeyInput
{
    [Id] public string PasskeyId { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

internal sealed class RevokeSessionInput
{
    [Id] public string SessionId { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

internal sealed class InviteAccountInput
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; }
    public Confidentiality Clearance { get; set; }
    [Id] public string? OrganisationId { get; set; }
    public string? ClientMutationId { get; set; }
}

internal sealed class ChangeAccountRoleInput
{
    [Id] public string Id { get; set; } = "";
    public Role Role { get; set; }
    public Confidentiality Clearance { get; set; }
    public string? ClientMutationId { get; set; }
}

internal sealed class DisableAccountInput
{
    [Id] public string Id { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

internal sealed class ResetSecondFactorInput
{
    [Id] public string Id { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

/// <summary>An authenticator key waiting for its first code (beginAuthenticatorEnrolment), one per account.</summary>
public sealed class PendingAuthenticator
{
    public Guid Id { get; set; }
    public string Key { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed record AuthenticatorEnrolmentPayload(string AuthenticatorKey, string AuthenticatorUri, string? ClientMutationId);

internal sealed record RecoveryCodesPayload(IReadOnlyList<string> RecoveryCodes, Account Account, string? ClientMutationId);

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
