namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// Who a caller is now, for work the platform does later on a caller's behalf (a webhook delivers
/// the change feed as the caller that registered it): a credential revoked or expired since must
/// stop that work, and a lowered clearance must apply to it.
/// </summary>
public interface ICallerDirectory
{
    /// <summary>
    /// The caller with <paramref name="callerId"/> (<see cref="Caller.Id"/>) as it stands now — its role,
    /// clearance and organisation — or null when it is no longer active (an API key revoked, expired or
    /// unknown, an account disabled) or cannot be vouched for later (a bearer-token user: bearer tokens are not
    /// stored, so the platform cannot tell whether the person still has access once the request is over).
    /// A staff account (<c>user:&lt;account id&gt;</c>, a cookie session) is vouched for by the Accounts module
    /// (<see cref="IAccountCallers"/>): active while the account is not disabled, with its role and clearance as they are now.
    /// </summary>
    ValueTask<Caller?> FindActiveAsync(string callerId, CancellationToken cancellationToken);
}

/// <summary>
/// The callers the Accounts module keeps (<c>user:&lt;account id&gt;</c>): who one of them is now, for
/// <see cref="ICallerDirectory"/> — null when there is no such account or it is disabled.
/// </summary>
public interface IAccountCallers
{
    ValueTask<Caller?> FindActiveAsync(string callerId, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="accountIds"/> that are active accounts now, as callers, in one read.</summary>
    Task<IReadOnlyDictionary<Guid, Caller>> FindActiveAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken);

    /// <summary>
    /// The active accounts whose role is STAFF or above and whose clearance reaches <paramref name="level"/>, by name —
    /// the colleagues a record of that level may be given to — at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<StaffMember>> ActiveStaffAsync(Confidentiality level, int max, CancellationToken cancellationToken);
}

/// <summary>A colleague with an account: its id, who it is now, and its handle (the part of its e-mail address before the <c>@</c>, as a note's <c>@handle</c> names it).</summary>
public sealed record StaffMember(Guid AccountId, Caller Person, string Handle);

/// <summary>
/// The Accounts module's people by handle — the part of their e-mail address before the <c>@</c>, as a note's
/// <c>@anna.ivanova</c> names a colleague — for mentions: the active accounts whose handle is one of
/// <paramref name="handles"/> (compared ignoring case), as callers (<c>user:&lt;account id&gt;</c>) keyed by the lower-case handle.
/// </summary>
public interface IAccountHandles
{
    Task<IReadOnlyDictionary<string, Caller>> FindByHandlesAsync(IReadOnlyCollection<string> handles, CancellationToken cancellationToken);
}
