using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Runs;

namespace Omct.Platform.Import.GraphQL;

[QueryFields]
internal sealed class ImportQueries
{
    [Description("STAFF: the fields an importer takes (what a mapping maps columns to), with the parts a record may carry nested.")]
    [RequireRole(Role.Staff)]
    public IReadOnlyList<ImportFieldInfo> ImportFields(ImportKind kind, [FromServices] ImportEngine engine)
    {
        var importer = engine.Importer(ImportKinds.Name(kind)) ?? throw DomainException.Validation("kind", $"No importer for {ImportKinds.Name(kind)}.");
        return importer.Fields.Select(f => new ImportFieldInfo(f.Name, f.Description, f.Required, null))
            .Concat(importer.Parts.SelectMany(p => p.Value.Select(f => new ImportFieldInfo(f.Name, f.Description, f.Required, p.Key))))
            .ToList();
    }

    [Description("STAFF: an import file you uploaded (an ADMIN: anyone's), with its columns and a preview of its first rows.")]
    [RequireRole(Role.Staff)]
    public async Task<ImportFile?> ImportFile([Id] string id, [FromServices] ImportCommands commands, CancellationToken ct) =>
        GlobalId.TryDecode(id, ImportFileGraphType.TypeName, out var fileId) ? await commands.FileAsync(fileId, ct) : null;

    [Description("STAFF: the saved column mappings, newest first.")]
    [RequireRole(Role.Staff)]
    public Task<Connection<ImportMapping>> ImportMappings(int? first, string? after, [FromServices] ImportCommands commands, CancellationToken ct) =>
        commands.MappingsAsync(first, after, ct);

    [Description("STAFF: a saved column mapping by its name.")]
    [RequireRole(Role.Staff)]
    public Task<ImportMapping?> ImportMapping(string name, [FromServices] ImportCommands commands, CancellationToken ct) => commands.MappingAsync(name, ct);

    [Description("STAFF: an import run you started (an ADMIN: anyone's, up to its clearance), with its progress and errors.")]
    [RequireRole(Role.Staff)]
    public async Task<ImportRun?> ImportRun([Id] string id, [FromServices] ImportCommands commands, CancellationToken ct) =>
        GlobalId.TryDecode(id, ImportRunGraphType.TypeName, out var runId) ? await commands.RunAsync(runId, ct) : null;

    [Description("STAFF: your import runs (an ADMIN: everyone's, up to its clearance), newest first.")]
    [RequireRole(Role.Staff)]
    public Task<Connection<ImportRun>> ImportRuns(int? first, string? after, [FromServices] ImportCommands commands, CancellationToken ct) =>
        commands.RunsAsync(first, after, ct);
}

[MutationFields]
internal sealed class ImportMutations
{
    [Description("STAFF: makes an import file of your complete tus upload (POST /files/uploads): its format and columns are read; the upload can no longer be attached to a record.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ImportFile>> CreateImport(CreateImportInput input, [FromServices] ImportCommands commands, CancellationToken ct) =>
        new(await commands.CreateFileAsync(
            GlobalId.TryDecode(input.UploadId, "Upload", out var id) || Guid.TryParse(input.UploadId, out id) ? id : throw DomainException.Validation("uploadId", "Not an upload id."),
            input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: saves a column mapping under its name (replacing the one of that name: expectedVersion guards it).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ImportMapping>> SaveImportMapping(SaveImportMappingInput input, [FromServices] ImportCommands commands, CancellationToken ct) =>
        new(await commands.SaveMappingAsync(new ImportMapping
        {
            Name = input.Name,
            Kind = ImportKinds.Name(input.Kind),
            Columns = input.Columns.Select(c => new ColumnMapping(c.Column, c.Field)).ToList(),
            KeyColumn = input.KeyColumn,
            FixedValues = (input.FixedValues ?? []).Select(f => new FixedValue(f.Field, f.Value)).ToList(),
        }, input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: runs an import file of yours through a saved mapping, as a job: dryRun writes nothing. Follow it with importRun(id).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ImportRun>> StartImport(StartImportInput input, [FromServices] ImportCommands commands, CancellationToken ct) =>
        new(await commands.StartAsync(
            GlobalId.TryDecode(input.FileId, ImportFileGraphType.TypeName, out var fileId) ? fileId : throw DomainException.NotFound("The import file"),
            input.Mapping, input.DryRun ?? false, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: stops a run of yours (an ADMIN: anyone's) at its next batch (within 100 rows or about a second); the rows done stay done.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<ImportRun>> CancelImport(CancelImportInput input, [FromServices] ImportCommands commands, CancellationToken ct) =>
        new(await commands.CancelAsync(
            GlobalId.TryDecode(input.RunId, ImportRunGraphType.TypeName, out var runId) ? runId : throw DomainException.NotFound("The import run"),
            input.ClientMutationId, ct), input.ClientMutationId);
}

internal sealed class CreateImportInput : IdempotentInput
{
    [Description("The tus upload's id (the last segment of its Location).")]
    public string UploadId { get; set; } = "";
}

internal sealed class ImportColumnMappingInput
{
    [Description("The file's column name, as in ImportFile.columns.")]
    public string Column { get; set; } = "";
    [Description("The importer's field (importFields).")]
    public string Field { get; set; } = "";
}

internal sealed class ImportFixedValueInput
{
    public string Field { get; set; } = "";
    [Description("Given to every row without a value of its own (a default confidentiality …).")]
    public string Value { get; set; } = "";
}

internal sealed class SaveImportMappingInput : IdempotentInput
{
    [Description("The mapping with this name is replaced, if any (send its version as expectedVersion).")]
    public int? ExpectedVersion { get; set; }
    public string Name { get; set; } = "";
    public ImportKind Kind { get; set; }
    public List<ImportColumnMappingInput> Columns { get; set; } = [];
    [Description("The column whose value identifies the row's record across imports (the import key).")]
    public string KeyColumn { get; set; } = "";
    public List<ImportFixedValueInput>? FixedValues { get; set; }
}

internal sealed class StartImportInput : IdempotentInput
{
    [Id] public string FileId { get; set; } = "";
    [Description("The saved mapping's name.")]
    public string Mapping { get; set; } = "";
    [Description("Writes nothing: reports each row's errors and what it would create or change."), DefaultValue(false)]
    public bool? DryRun { get; set; }
}

internal sealed class CancelImportInput : IdempotentInput
{
    [Id] public string RunId { get; set; } = "";
}
