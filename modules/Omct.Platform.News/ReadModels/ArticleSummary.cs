using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.News.ReadModels;

/// <summary>The module's list read model (filled in by the module's own issue).</summary>
public sealed class ArticleSummary : IConfidential
{
    public Guid Id { get; set; }
    public Confidentiality Confidentiality { get; set; }
}
