using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts;

// The audit trail of an account: one event stream per account (its id), appended next to every change of the
// account document and at every sign-in attempt. They name what happened, never a secret (no password, code,
// key or link). Read with auditTrail(entityId: <the account's id>).

/// <summary>An admin invited the person (or the first administrator was made at start).</summary>
public sealed record AccountInvited(string Email, Role Role, Confidentiality Clearance, Guid? OrganisationId);

/// <summary>An OpenID Connect sign-in with an unknown e-mail address made an external account from the provider's claims.</summary>
public sealed record AccountCreatedFromProvider(string Email, Role Role, Confidentiality Clearance, Guid? OrganisationId);

/// <summary>
/// A sign-in that opened a session; <paramref name="Method"/>: PASSWORD, PASSWORD+TOTP, PASSWORD+RECOVERY_CODE, PASSKEY,
/// OIDC (below STAFF clearance), OIDC+MFA (the provider asserted a second factor), OIDC+TOTP, OIDC+RECOVERY_CODE.
/// </summary>
public sealed record AccountSignedIn(string Method);

/// <summary>A refused attempt: WRONG_PASSWORD, WRONG_CODE, LOCKED_OUT, NOT_ALLOWED (disabled, no second factor; through OpenID Connect also: another subject for an external account), WRONG_PASSKEY.</summary>
public sealed record AccountSignInFailed(string Reason);

/// <summary>Too many failures: sign-in refused until <paramref name="Until"/>.</summary>
public sealed record AccountLockedOut(DateTimeOffset Until);

public sealed record AccountSignedOut;

public sealed record AccountPasswordSet(string How);

public sealed record AccountAuthenticatorEnrolled;

public sealed record AccountRecoveryCodesRegenerated(int Count);

public sealed record AccountRecoveryCodeUsed(int Remaining);

public sealed record AccountPasskeyAdded(string? Name);

public sealed record AccountPasskeyRemoved;

public sealed record AccountSessionRevoked(Guid SessionId);

public sealed record AccountRoleChanged(Role Role, Confidentiality Clearance);

public sealed record AccountDisabled;

public sealed record AccountSecondFactorReset;

public sealed record AccountLinkSent(string Purpose);
