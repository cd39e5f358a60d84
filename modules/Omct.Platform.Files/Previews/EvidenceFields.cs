using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.Previews;

/// <summary>The <c>File</c> fields of the shown copy, its thumbnail and the kept original.</summary>
internal static class EvidenceFields
{
    public static void AddTo(ObjectGraphType<StoredFile> file)
    {
        file.Field<StringGraphType>("thumbnailUrl")
            .Description("GET it (as the download) for a small PNG preview shown inline — an image scaled down, a PDF's first page; null when the file has none. " +
                         "Each one served is a view in the chain of custody.")
            .Resolve(c => PreviewEndpoints.ThumbnailUrlOf(c.Source));
        file.Field<StringGraphType>("originalSha256")
            .Description("STAFF: for an image, the SHA-256 of the upload as it came, before its metadata was removed (sha256 is the shown copy's); null otherwise.")
            .RequireClearance(Confidentiality.Staff)
            .Resolve(c => c.Source.Original?.Sha256);
        file.Field<FileOriginalGraphType>("original")
            .Description("RESTRICTED: the untouched original of an image (with its metadata), when the uploader asked to keep it (keepOriginal); null otherwise. Each read is audited.")
            .RequireClearance(Confidentiality.Restricted)
            .Resolve(c => c.Source.Original is { KeptAs: not null } ? new FileOriginalView(c.Source) : null);
    }
}

/// <summary>The kept original of a file, as <c>FileOriginal</c> shows it.</summary>
internal sealed record FileOriginalView(StoredFile File);

internal sealed class FileOriginalGraphType : ObjectGraphType<FileOriginalView>
{
    public FileOriginalGraphType()
    {
        Name = "FileOriginal";
        Description = "The untouched original of an image, kept at the uploader's request (RESTRICTED).";
        Field<NonNullGraphType<StringGraphType>>("sha256").Description("Lower-case hex SHA-256 of the original, verified at every download.")
            .Resolve(c => c.Source.File.Original!.Sha256);
        Field<NonNullGraphType<LongGraphType>>("size").Description("In bytes.").Resolve(c => c.Source.File.Original!.Size);
        Field<NonNullGraphType<StringGraphType>>("downloadUrl")
            .Description("GET it with a RESTRICTED credential to download the original as an attachment (404 otherwise, as for an unknown file).")
            .Resolve(c => PreviewEndpoints.OriginalUrlOf(c.Source.File));
        this.FieldsShownWithRecord();
    }
}
