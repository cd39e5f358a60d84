using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Cases.Contracts;

/// <summary>What other modules may ask the cases module, in one query per call, within the caller's clearance.</summary>
public interface ICaseDirectory
{
    /// <summary>
    /// For each defender id, the cases (opaque objects rendered by the schema's <c>Case</c> type)
    /// where the defender is a victim, newest first — only cases and victim entries the caller may see.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<object>>> CasesOfDefendersAsync(
        IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>The cases of the given ids the caller may see (opaque objects rendered by the schema's <c>Case</c> type).</summary>
    Task<IReadOnlyDictionary<Guid, object>> CasesAsync(IReadOnlyCollection<Guid> caseIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>The id of the case with this reference, when the caller may see it.</summary>
    Task<Guid?> FindByReferenceAsync(string reference, Caller caller, CancellationToken cancellationToken);
}

/// <summary>What the digests and reports ask the cases module, in one query per call, by the module's own clearance rules.</summary>
public interface ICaseActivity
{
    /// <summary>The cases opened, case events recorded and interventions issued in the period (see <see cref="CaseActivity"/>), in these countries (all when empty).</summary>
    Task<CaseActivity> InPeriodAsync(CaseActivityPeriod period, IReadOnlyCollection<string> countries, Caller caller, CancellationToken cancellationToken);

    /// <summary>The cases of these ids as the caller may see them; hidden or unknown ones are absent.</summary>
    Task<IReadOnlyDictionary<Guid, CaseSummary>> SummariesAsync(IReadOnlyCollection<Guid> caseIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>The statistics <c>caseStatistics(groupBy)</c> gives the caller (largest first): cases by country, year, status; visible case events by type.</summary>
    Task<IReadOnlyList<StatisticCount>> StatisticsAsync(CaseStatisticKind kind, Caller caller, CancellationToken cancellationToken);
}
