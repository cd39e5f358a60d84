namespace Omct.Platform.BuildingBlocks.Import;

/// <summary>A field an importer takes (the name a mapping maps a file's column to).</summary>
/// <param name="Name">As the module's GraphQL input names it (<c>countryCode</c>).</param>
/// <param name="Description">One line for the mapping screen.</param>
/// <param name="Required">A row without it is refused (VALIDATION on its column).</param>
public sealed record ImportField(string Name, string Description, bool Required = false);

/// <summary>
/// One row of an import file as an importer sees it: its line in the file, the values of its mapped fields (field name →
/// text, null or absent when empty) and, for a record with parts (a case's victims, events and interventions, nested in
/// NDJSON), its child rows by part name. Fixed values of the mapping are already in <see cref="Values"/>.
/// </summary>
public sealed class ImportRow(long line, IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, IReadOnlyList<ImportRow>>? children = null)
{
    public long Line { get; } = line;

    public IReadOnlyDictionary<string, string?> Values { get; } = values;

    public IReadOnlyDictionary<string, IReadOnlyList<ImportRow>> Children { get; } = children ?? new Dictionary<string, IReadOnlyList<ImportRow>>();

    /// <summary>The field's value, trimmed; null when absent or blank.</summary>
    public string? Get(string field) => Values.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public IReadOnlyList<ImportRow> Part(string name) => Children.TryGetValue(name, out var rows) ? rows : [];
}

/// <summary>
/// Something wrong with a row: the importer's field (mapped back to the file's column by the import module; a nested
/// part's field is <c>events[2].date</c>) and the message the API would give.
/// </summary>
public sealed record ImportProblem(string Field, string Message);

/// <summary>
/// What checking a row came to: the module's own command (<see cref="Command"/>, opaque to the import module) or the
/// problems that refuse it. Checking writes nothing (a dry run is only checks).
/// </summary>
public sealed record ImportCheck(object? Command, IReadOnlyList<ImportProblem> Problems)
{
    public static ImportCheck Of(object command) => new(command, []);

    public static ImportCheck Refused(IReadOnlyList<ImportProblem> problems) => new(null, problems);

    public static ImportCheck Refused(string field, string message) => new(null, [new ImportProblem(field, message)]);

    public bool Valid => Problems.Count == 0 && Command is not null;
}

/// <summary>What carrying out a row did: the record it made or changed, and whether a change could be applied.</summary>
/// <param name="RecordId">The record (its stream id).</param>
/// <param name="Applied">False when the row changed but the module has no update command for it ("changed, not applied").</param>
public sealed record ImportApplied(Guid RecordId, bool Applied = true);

/// <summary>
/// A module's import of one kind of record (ORGANISATION, DEFENDER, CASE …), in the module's own <c>Import/</c> folder.
/// It validates a row into the module's own command exactly as the API validates a mutation's input (the same deciders,
/// so the same messages), and carries it out through the module's command handler — the code the mutation calls, with
/// its role, clearance and idempotency rules. The import module calls both in a service scope whose caller
/// (<c>ICallerContext</c>) is the importing caller as it is at that row; it never writes the module's events or documents.
/// </summary>
public interface IRecordImporter
{
    /// <summary>Upper snake case (<c>ORGANISATION</c>): the <c>ImportKind</c> value.</summary>
    string Kind { get; }

    /// <summary>The type name of the records' global ids (<c>Organisation</c>, <c>Case</c>): a run's rows name their record with it.</summary>
    string RecordType { get; }

    /// <summary>The fields a mapping may map columns to, in the order shown.</summary>
    IReadOnlyList<ImportField> Fields { get; }

    /// <summary>The parts a row may carry (<c>victims</c>, <c>events</c> …) with their fields; empty for a flat record.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; }

    /// <summary>
    /// Validates <paramref name="row"/> for the caller of <paramref name="services"/> (read-only look-ups allowed, no
    /// write): the command, or every problem found. <paramref name="existing"/> is the record an earlier import made of
    /// this row's key, when there is one (an update is then checked).
    /// </summary>
    Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>
    /// Carries out a checked command through the module's command handler: creates the record, or updates
    /// <paramref name="existing"/>. <paramref name="operationKey"/> is deterministic for this row and version, unique per
    /// write: pass it (suffixed per command) as the clientMutationId, so that a row carried out just before a crash
    /// is a no-op when the run resumes. A refusal is a <c>DomainException</c> (VALIDATION with its field …).
    /// </summary>
    Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken);
}
