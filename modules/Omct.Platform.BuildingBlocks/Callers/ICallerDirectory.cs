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
    /// unknown) or cannot be vouched for later (a signed-in user: bearer tokens are not stored, so the
    /// platform cannot tell whether the person still has access once the request is over).
    /// </summary>
    ValueTask<Caller?> FindActiveAsync(string callerId, CancellationToken cancellationToken);
}
