using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Reading;
using Omct.Platform.Import.Report;
using Omct.Platform.Import.Runs;

namespace Omct.Platform.Import.GraphQL;

/// <summary>The kinds of record an import makes (each module's importer).</summary>
public enum ImportKind
{
    Organisation,
    Defender,
    Case,
    CaseEvent,
    Intervention,
    Article,
    Submission,
    CallForInput,
}

internal static class ImportKinds
{
    /// <summary>As GraphQL names the value (<c>CALL_FOR_INPUT</c>): the importer's <see cref="BuildingBlocks.Import.IRecordImporter.Kind"/>.</summary>
    public static string Name(ImportKind kind) => BuildingBlocks.Import.ImportValues.ConstantCase(kind.ToString());

    public static ImportKind Of(string name) => Enum.Parse<ImportKind>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
}

internal sealed class ImportFormatGraphType : EnumerationGraphType<ImportFormat>
{
    public ImportFormatGraphType()
    {
        Name = "ImportFormat";
        Description = "CSV (separator detected, UTF-8, a header row), XLSX (the first worksheet, a header row), JSON (one array of objects), NDJSON (one object per line).";
    }
}

internal sealed class ImportRunStatusGraphType : EnumerationGraphType<ImportRunStatus>
{
    public ImportRunStatusGraphType()
    {
        Name = "ImportRunStatus";
        Description = "QUEUED, RUNNING, then SUCCEEDED, FAILED (error says why) or CANCELLED.";
    }
}

internal sealed class ImportRowOutcomeGraphType : EnumerationGraphType<ImportRowOutcome>
{
    public ImportRowOutcomeGraphType()
    {
        Name = "ImportRowOutcome";
        Description = "What a row came to (in a dry run: would come to). CHANGED_NOT_APPLIED: it differs from what an earlier import wrote, " +
                      "but the kind has no update command yet. ERROR: refused (see the run's errors).";
    }
}

internal sealed class ImportFileGraphType : ObjectGraphType<ImportFile>
{
    public const string TypeName = "ImportFile";

    public ImportFileGraphType()
    {
        Name = TypeName;
        Description = "An uploaded import file (a tus upload taken by createImport): stored encrypted until a real run is done or the retention ends.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(f => f.FileName);
        Field<NonNullGraphType<ImportFormatGraphType>>("format").Resolve(c => c.Source.Format);
        Field<NonNullGraphType<LongGraphType>>("size").Description("Bytes.").Resolve(c => c.Source.Length);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("columns")
            .Description("The column names: the header row (CSV, XLSX), the properties of the first rows (JSON, NDJSON; nested arrays by their name).")
            .Resolve(c => c.Source.Columns);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<IsoDateTimeGraphType>("deletedAt").Description("When its content was deleted (a real run done, or past the retention).").Resolve(c => c.Source.DeletedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportPreviewRowGraphType>>>>("preview")
            .Description($"The first rows (default 10, at most {ImportCommands.MaxPreviewRows}), cells in the order of columns.")
            .Argument<IntGraphType>("first")
            .ResolveAsync(async c => await c.Service<ImportCommands>().PreviewAsync(c.Source, c.GetArgument<int?>("first"), c.CancellationToken));
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportPreviewRowGraphType : ObjectGraphType<ImportPreviewRow>
{
    public ImportPreviewRowGraphType()
    {
        Name = "ImportPreviewRow";
        Field<NonNullGraphType<LongGraphType>>("line").Description("Where the row starts in the file (1 is the header of a CSV or XLSX file).").Resolve(c => c.Source.Line);
        Field<NonNullGraphType<ListGraphType<StringGraphType>>>("cells").Description("One per column; a nested array shows as [n].").Resolve(c => c.Source.Cells);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportColumnMappingGraphType : ObjectGraphType<ColumnMapping>
{
    public ImportColumnMappingGraphType()
    {
        Name = "ImportColumnMapping";
        Field(m => m.Column).Description("The file's column name.");
        Field(m => m.Field).Description("The importer's field (see importFields).");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportFixedValueGraphType : ObjectGraphType<FixedValue>
{
    public ImportFixedValueGraphType()
    {
        Name = "ImportFixedValue";
        Field(m => m.Field);
        Field(m => m.Value).Description("Given to every row that has no value of its own for the field.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportMappingGraphType : ObjectGraphType<ImportMapping>
{
    public const string TypeName = "ImportMapping";

    public ImportMappingGraphType()
    {
        Name = TypeName;
        Description = "A saved column mapping, reusable by its name; its name also scopes the import keys (the same key under another mapping is another record).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(m => m.Name);
        Field<NonNullGraphType<EnumerationGraphType<ImportKind>>>("kind").Resolve(c => ImportKinds.Of(c.Source.Kind));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportColumnMappingGraphType>>>>("columns").Resolve(c => c.Source.Columns);
        Field(m => m.KeyColumn).Description("The column whose value identifies a row's record across imports.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ImportFixedValueGraphType>>>>("fixedValues").Resolve(c => c.Source.FixedValues);
        Field<NonNullGraphType<StringGraphType>>("savedBy").Description("Who saved it last, as the audit trail shows callers.").Resolve(c => c.Source.SavedBy);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedAt").Resolve(c => c.Source.UpdatedAt);
        Field(m => m.Version);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportFieldInfo(string name, string description, bool required, string? part)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public bool Required { get; } = required;

    public string? Part { get; } = part;
}

internal sealed class ImportFieldInfoGraphType : ObjectGraphType<ImportFieldInfo>
{
    public ImportFieldInfoGraphType()
    {
        Name = "ImportField";
        Description = "A field a mapping may map a column to. A field of a part (a case's events …) is given inside that part's nested objects (NDJSON, JSON).";
        Field(f => f.Name);
        Field(f => f.Description);
        Field(f => f.Required);
        Field(f => f.Part, nullable: true).Description("The part (victims, events, interventions) it belongs to; null for the record's own fields.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportErrorGraphType : ObjectGraphType<ImportError>
{
    public ImportErrorGraphType()
    {
        Name = "ImportError";
        Field<NonNullGraphType<LongGraphType>>("line").Description("The row's line in the file.").Resolve(c => c.Source.Line);
        Field(e => e.Column).Description("The file's column (mapped back from the field); a nested part's field as events[2].date; empty for the whole row.");
        Field(e => e.Message).Description("What the API would answer.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ImportRowGraphType : ObjectGraphType<ImportRowResult>
{
    public ImportRowGraphType()
    {
        Name = "ImportRow";
        Description = "One row of a run and what it came to (a dry run: would come to).";
        Field<NonNullGraphType<LongGraphType>>("line").Resolve(c => c.Source.Line);
        Field(r => r.Key, nullable: true).Description("The row's import key (the key column's value).");
        Field<NonNullGraphType<ImportRowOutcomeGraphType>>("outcome").Resolve(c => c.Source.Outcome);
        Field<IdGraphType>("recordId").Description("The record made or changed (or, in a dry run, that would change); query it as usual: it shows only if you may see it.")
            .Resolve(c => c.Source.RecordId is { } id ? GlobalId.Encode(c.Source.RecordType, id) : null);
        this.FieldsShownWithRecord();
    }
}


internal sealed class ImportRunGraphType : ObjectGraphType<ImportRun>
{
    public const string TypeName = "ImportRun";

    public ImportRunGraphType()
    {
        Name = TypeName;
        Description = "One run of an import file through a mapping, dry or real, and its progress.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<IdGraphType>>("fileId").Resolve(c => GlobalId.Encode(ImportFileGraphType.TypeName, c.Source.FileId));
        Field(r => r.FileName);
        Field<NonNullGraphType<ImportFormatGraphType>>("format").Resolve(c => c.Source.Format);
        Field<NonNullGraphType<ImportMappingGraphType>>("mapping").Description("The mapping as it was when the run started.").Resolve(c => c.Source.Mapping);
        Field(r => r.DryRun).Description("A dry run writes nothing: it reports each row's errors and what it would create or change.");
        Field<NonNullGraphType<ImportRunStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field(r => r.Error, nullable: true).Description("Why a FAILED run stopped.");
        Field<NonNullGraphType<StringGraphType>>("startedBy").Description("The importing caller, as the audit trail shows callers.").Resolve(c => c.Source.CallerId);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<IsoDateTimeGraphType>("startedAt").Resolve(c => c.Source.StartedAt);
        Field<IsoDateTimeGraphType>("finishedAt").Resolve(c => c.Source.FinishedAt);
        Field<LongGraphType>("rowsTotal").Description("Rows in the file; null until counted.").Resolve(c => c.Source.RowsTotal);
        Field<NonNullGraphType<LongGraphType>>("rowsDone").Resolve(c => c.Source.RowsDone);
        Field<NonNullGraphType<LongGraphType>>("created").Resolve(c => c.Source.Created);
        Field<NonNullGraphType<LongGraphType>>("changed").Resolve(c => c.Source.Changed);
        Field<NonNullGraphType<LongGraphType>>("unchanged").Resolve(c => c.Source.Unchanged);
        Field<NonNullGraphType<LongGraphType>>("changedNotApplied").Resolve(c => c.Source.ChangedNotApplied);
        Field<NonNullGraphType<LongGraphType>>("errorRows").Description("Rows refused (each with one or more errors).").Resolve(c => c.Source.Errors);
        Field<FloatGraphType>("rate").Description("Rows per second (of the current stint while running; overall once finished); null before the first row.")
            .Resolve(c => ImportProgress.Rate(c.Source, c.Service<TimeProvider>().GetUtcNow()));
        Field<FloatGraphType>("secondsLeft").Description("Estimated seconds to the end at the current rate; null while unknown, 0 once finished.")
            .Resolve(c => ImportProgress.SecondsLeft(c.Source, c.Service<TimeProvider>().GetUtcNow()));
        Field<NonNullGraphType<ConnectionGraphType<ImportErrorGraphType>>>("errors")
            .Description("Each error of each row (line, column, message), in file order.")
            .Argument<IntGraphType>("first").Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ImportCommands>().ErrorsAsync(c.Source, c.GetArgument<int?>("first"), c.GetArgument<string?>("after"), c.CancellationToken));
        Field<NonNullGraphType<ConnectionGraphType<ImportRowGraphType>>>("rows")
            .Description("Each row done and its outcome, in file order; outcomes filters.")
            .Argument<ListGraphType<NonNullGraphType<ImportRowOutcomeGraphType>>>("outcomes")
            .Argument<IntGraphType>("first").Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ImportCommands>().RowsAsync(c.Source, c.GetArgument<List<ImportRowOutcome>?>("outcomes"),
                c.GetArgument<int?>("first"), c.GetArgument<string?>("after"), c.CancellationToken));
        Field<NonNullGraphType<StringGraphType>>("errorReportUrl").Description("The errors as CSV (line, column, message): GET with your credential.")
            .Resolve(c => ErrorReportEndpoint.UrlOf(c.Source.Id));
        this.FieldsShownWithRecord();
    }
}
