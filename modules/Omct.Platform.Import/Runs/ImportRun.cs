using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Reading;

namespace Omct.Platform.Import.Runs;

/// <summary>
/// An uploaded import file (a Marten document): the Files module's upload it was made of (still stored there,
/// encrypted), its format and columns. Deleted with its content after a real run is done, or after the retention.
/// </summary>
public sealed class ImportFile
{
    public Guid Id { get; set; }

    public string Owner { get; set; } = "";

    public string FileName { get; set; } = "";

    public ImportFormat Format { get; set; }

    public long Length { get; set; }

    public List<string> Columns { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the content is gone (a real run done, or past the retention): the file can no longer be run.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum ImportRunStatus
{
    /// <summary>Waiting for the scheduler to start it.</summary>
    Queued,
    Running,
    Succeeded,
    /// <summary>Stopped: the file could not be read on, or the importer's credential is no longer active or STAFF.</summary>
    Failed,
    Cancelled,
}

/// <summary>What a row came to (or, in a dry run, would come to).</summary>
public enum ImportRowOutcome
{
    Created,
    Changed,
    Unchanged,
    /// <summary>The row differs from what an earlier import wrote, but the module has no update command for it yet.</summary>
    ChangedNotApplied,
    Error,
}

/// <summary>
/// One run of a file through a mapping (a Marten document), dry or real, with its progress. <see cref="RowsDone"/>
/// is also where a resumed run goes on: it is saved in the same transaction as each row's import key and result.
/// </summary>
public sealed class ImportRun
{
    public Guid Id { get; set; }

    public Guid FileId { get; set; }

    public string FileName { get; set; } = "";

    public ImportFormat Format { get; set; }

    /// <summary>The mapping as it was when the run was started (a mapping saved again later does not change the run).</summary>
    public ImportMapping Mapping { get; set; } = new();

    public bool DryRun { get; set; }

    /// <summary>Who imports: the run acts as this caller as it is at each row.</summary>
    public string CallerId { get; set; } = "";

    public string CallerName { get; set; } = "";

    /// <summary>The importer's clearance when it started the run: who else may see the run (its errors may quote its rows).</summary>
    public Confidentiality CallerClearance { get; set; }

    public ImportRunStatus Status { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Rows in the file (counted before the first row is carried out); null until then.</summary>
    public long? RowsTotal { get; set; }

    public long RowsDone { get; set; }

    public long Created { get; set; }

    public long Changed { get; set; }

    public long Unchanged { get; set; }

    public long ChangedNotApplied { get; set; }

    /// <summary>Rows refused (each with one or more errors).</summary>
    public long Errors { get; set; }

    /// <summary>Seconds spent working before the current stint (a resumed run adds up its stints).</summary>
    public double SecondsBefore { get; set; }

    /// <summary>When the current stint started, and at which row: the rate is of this stint's rows.</summary>
    public DateTimeOffset? StintStartedAt { get; set; }

    public long StintStartRow { get; set; }

    public long OrderKey { get; set; }

    public bool Finished => Status is ImportRunStatus.Succeeded or ImportRunStatus.Failed or ImportRunStatus.Cancelled;
}

/// <summary>A request to stop a run (its own document, so that the job's progress writes never overwrite it).</summary>
public sealed class ImportCancellation
{
    public Guid Id { get; set; }

    public string By { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// What an import made of a row's key (a Marten document): the record, a hash of the row as last carried out, and how
/// many writes it has had (which makes each write's clientMutationId). Its id is the kind, the mapping's name and the
/// key: the same key in another mapping is another record.
/// </summary>
public sealed class ImportKey
{
    public string Id { get; set; } = "";

    public Guid RecordId { get; set; }

    public string RowHash { get; set; } = "";

    public int Writes { get; set; }

    public Guid RunId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static string IdOf(string kind, string mapping, string key) => $"{kind}\u001f{mapping}\u001f{key}";
}

/// <summary>One row of a run (a Marten document): its outcome and record; its errors are <see cref="ImportError"/>s.</summary>
public sealed class ImportRowResult
{
    public string Id { get; set; } = "";

    public Guid RunId { get; set; }

    /// <summary>0-based position of the row in the file (the order of the run's rows).</summary>
    public long Index { get; set; }

    public long Line { get; set; }

    public string? Key { get; set; }

    public ImportRowOutcome Outcome { get; set; }

    public Guid? RecordId { get; set; }

    /// <summary>The type name of the record's global id.</summary>
    public string RecordType { get; set; } = "";

    public static string IdOf(Guid runId, long index) => $"{runId:N}:{index:D12}";
}

/// <summary>One error of a row: the line, the file's column (mapped back from the field) and the message.</summary>
public sealed class ImportError
{
    public string Id { get; set; } = "";

    public Guid RunId { get; set; }

    /// <summary>The order of the run's errors: the row's index × 1000 + the error's number in the row.</summary>
    public long Sequence { get; set; }

    public long Line { get; set; }

    public string Column { get; set; } = "";

    public string Message { get; set; } = "";

    public static string IdOf(Guid runId, long sequence) => $"{runId:N}:{sequence:D15}";
}
