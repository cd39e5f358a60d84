namespace Omct.Platform.BuildingBlocks.Import;

/// <summary>
/// The run a row is checked in (scoped; the import engine sets it for each row it hands to an importer). In a dry run,
/// <see cref="Claims"/> holds what the run's earlier rows claimed that must be unique (a case's reference): a real run
/// finds those rows written, a dry run — which writes nothing — finds them here, so it refuses a duplicate as the real
/// run would. Null in a real run, and outside an import.
/// </summary>
public sealed class ImportRunContext
{
    public ImportClaims? Claims { get; set; }
}

/// <summary>Unique values claimed by the earlier rows of a dry run, per kind (<c>case reference</c>). One worker per run: not shared between threads.</summary>
public sealed class ImportClaims
{
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    public bool IsClaimed(string kind, string value) => _claimed.Contains($"{kind}\u001f{value}");

    public void Claim(string kind, string value) => _claimed.Add($"{kind}\u001f{value}");
}
