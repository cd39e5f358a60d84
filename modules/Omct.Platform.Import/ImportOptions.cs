using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Import;

/// <summary>The import settings (<c>Omct:Import</c>), validated on start.</summary>
public sealed class ImportOptions
{
    public const string Section = "Omct:Import";

    /// <summary>
    /// How long an import file stays stored (encrypted, in the Files module's store) after it was uploaded, when no
    /// real run has deleted it before: hours, 1 to 720 (30 days); 72 by default. A run still going on keeps its file.
    /// </summary>
    [Range(1, 720)]
    public int RetentionHours { get; set; } = 72;
}
