using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Defenders.ReadModels;

/// <summary>The module's list read model (filled in by the module's own issue).</summary>
public sealed class DefenderProfile : IConfidential
{
    public Guid Id { get; set; }
    public Confidentiality Confidentiality { get; set; }
}
