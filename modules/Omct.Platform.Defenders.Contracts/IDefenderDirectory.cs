using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Defenders.Contracts;

/// <summary>
/// What other modules may ask the defenders module about defenders, in one query per call
/// (never one per row). Answers respect the caller's clearance: a defender the caller may not
/// see is reported as not existing.
/// </summary>
public interface IDefenderDirectory
{
    /// <summary>The subset of <paramref name="defenderIds"/> that exist and that <paramref name="caller"/> may see.</summary>
    Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken);
}
