using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.Downloads;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.GraphQL;

[MutationFields]
internal sealed class FileMutations
{
    [Description("STAFF: makes your complete upload (tus, at /files/uploads) a file on a record you may see — a case, a case event, " +
                 "a victim, a defender (its documents, or its portrait), an article (its images and PDFs; EDITOR, as the article's own writes), " +
                 "a submission or an input to a call for input — with its own level; a member organisation (NETWORK_MEMBER) only on its own input to an open call for input. " +
                 "The file is visible only where both the file and its record are. An upload is attached once. A portrait is an image on a " +
                 "defender, PUBLIC only while the defender has consented to the publication of a portrait.")]
    [RequireRole(Role.NetworkMember)]
    public async Task<Payload<StoredFile>> AttachFile(AttachFileInput input, [FromServices] FileCommands commands, CancellationToken ct) =>
        new(await commands.AttachAsync(input.RecordId, input.UploadId, input.Confidentiality, input.Description, input.ClientMutationId, ct,
            input.KeepOriginal ?? false, input.Purpose ?? FilePurpose.Document), input.ClientMutationId);

    [Description("STAFF: changes a file's level (not above your own clearance); the change joins the file's chain of custody. An article's file: EDITOR.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<StoredFile>> ReclassifyFile(ReclassifyFileInput input, [FromServices] FileCommands commands, CancellationToken ct) =>
        new(await commands.ReclassifyAsync(input.FileId, input.ExpectedVersion, input.Confidentiality, input.ClientMutationId, ct), input.ClientMutationId);
}

internal sealed class AttachFileInput : IdempotentInput
{
    [Id]
    [Description("The record the file is about: a Case, CaseEvent, Victim, Defender, Article, Submission or CallInput id.")]
    public string RecordId { get; set; } = "";

    [Id]
    [Description("The upload's id: the last part of the Location that POST /files/uploads answered.")]
    public string UploadId { get; set; } = "";

    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }

    [Description("What the file is (at most 2,000 characters).")]
    public string? Description { get; set; }

    [Description("For an image (JPEG, PNG, WebP): keep the untouched original, with its metadata (GPS position, camera serial …), readable at " +
                 "RESTRICTED only (File.original). Without it the original's bytes are gone: the file is the copy without metadata.")]
    public bool? KeepOriginal { get; set; }

    [Description("DOCUMENT (the default), or PORTRAIT: an image of a defender, PUBLIC only while the defender has consented to the publication of a portrait.")]
    public FilePurpose? Purpose { get; set; }
}

internal sealed class ReclassifyFileInput : MutationInput
{
    [Id]
    public string FileId { get; set; } = "";

    [Description("The file's new level (not above your own clearance).")]
    public Confidentiality Confidentiality { get; set; }
}

internal sealed class FileGraphType : ObjectGraphType<StoredFile>
{
    public FileGraphType()
    {
        Name = "File";
        Description = "A file attached to a record, kept as evidence: its SHA-256 is verified at every download, and every step is in its chain of custody.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(FileIds.File, c.Source.Id));
        Field(f => f.FileName).Description("The uploader's name, sanitised, ending with the extension of the type the content is.");
        Field(f => f.MediaType).Description("The type the content is (by its magic bytes, not its name), e.g. application/pdf.");
        Field<NonNullGraphType<LongGraphType>>("size").Description("In bytes.").Resolve(c => c.Source.Size);
        Field(f => f.Sha256).Description("Lower-case hex SHA-256 of the content, computed when it was uploaded and verified at every download.");
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field(f => f.Description, nullable: true);
        Field<NonNullGraphType<EnumerationGraphType<FilePurpose>>>("purpose")
            .Description("DOCUMENT, or PORTRAIT (a defender's; a PUBLIC portrait is shown below STAFF only while the defender's consent to a portrait is recorded).")
            .Resolve(c => c.Source.Purpose);
        Field(f => f.UploadedAt).Description("When its last byte was stored.");
        Field<NonNullGraphType<StringGraphType>>("downloadUrl")
            .Description("GET it with your credential (an API key, or the console's session) to download the file as an attachment.")
            .Resolve(c => FileDownloadEndpoint.UrlOf(c.Source));
        Field(f => f.ErasedAt, nullable: true)
            .Description("When the file was erased with its defender's personal data: its key is destroyed, its content can never be read again (a download answers 410).");
        Field(f => f.Version).Description("The stream version; pass it as expectedVersion.");
        Field(f => f.CreatedAt).Description("When it was attached.");
        Field(f => f.UpdatedAt);
        Field<ListGraphType<NonNullGraphType<CustodyEntryGraphType>>>("custody")
            .Description("STAFF: the chain of custody, oldest first — uploaded, attached, re-classified, downloaded, viewed (a thumbnail): when, by which caller (the credential), in which request.")
            .RequireClearance(Confidentiality.Staff)
            .ResolveAsync(async c => await c.Service<FileCustody>().ChainAsync(c.Source, c.CancellationToken));
        Previews.EvidenceFields.AddTo(this);
        this.FieldsShownWithRecord();
    }
}

internal sealed class CustodyEntryGraphType : ObjectGraphType<CustodyEntry>
{
    public CustodyEntryGraphType()
    {
        Name = "CustodyEntry";
        Field<NonNullGraphType<EnumerationGraphType<CustodyKind>>>("kind").Resolve(c => c.Source.Kind);
        Field(e => e.At);
        Field(e => e.By, nullable: true).Description("The caller's id as the audit trail records it (apikey:…, user:…).");
        Field(e => e.TraceId, nullable: true).Description("The request's trace id.");
        Field<ConfidentialityGraphType>("from").Description("A re-classification's previous level.").Resolve(c => c.Source.From);
        Field<ConfidentialityGraphType>("to").Description("A re-classification's new level.").Resolve(c => c.Source.To);
        this.FieldsShownWithRecord();
    }
}

/// <summary><c>node(id)</c> for files: the file and its record visible, as everywhere.</summary>
internal sealed class FileNodeResolver(FileVisibility access) : INodeResolver
{
    public string TypeName => FileIds.File;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        await access.FindVisibleAsync(id, context.GetCaller(), context.CancellationToken);
}
