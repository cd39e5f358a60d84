using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Submissions.ReadModels;

/// <summary>The module's list read model (filled in by the module's own issue).</summary>
public sealed class SubmissionSummary : IConfidential
{
    public Guid Id { get; set; }
    public Confidentiality Confidentiality { get; set; }
}
