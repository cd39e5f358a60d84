using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Import.Mappings;

/// <summary>A file's column mapped to an importer's field.</summary>
public sealed record ColumnMapping(string Column, string Field);

/// <summary>A value given to a field for every row that has none of its own (a default confidentiality, a country).</summary>
public sealed record FixedValue(string Field, string Value);

/// <summary>
/// A saved column mapping (a Marten document), reusable by its name: the kind of record, which column goes to which
/// field, which column is the import key, and fixed values. Shared by the staff: any STAFF caller may use or replace it.
/// Its name also scopes the import keys (see <see cref="Runs.ImportKey"/>).
/// </summary>
public sealed class ImportMapping
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public List<ColumnMapping> Columns { get; set; } = [];

    public string KeyColumn { get; set; } = "";

    public List<FixedValue> FixedValues { get; set; } = [];

    public string SavedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; }

    public long OrderKey { get; set; }

    /// <summary>The column a field comes from (the first mapped to it), or null for a fixed value or an unmapped field.</summary>
    public string? ColumnOf(string field) => Columns.FirstOrDefault(c => c.Field == field)?.Column;
}

/// <summary>Who may import: STAFF and above (the roles of the create and update commands imported into).</summary>
public static class ImportAccess
{
    public const Role MinimumRole = Role.Staff;
}
