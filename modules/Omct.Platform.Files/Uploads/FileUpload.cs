namespace Omct.Platform.Files.Uploads;

/// <summary>
/// A tus upload (a Marten document): who may write it (<see cref="Owner"/>, the caller id that created it — to anyone
/// else it does not exist), how long it is announced to be and how much of it is stored. Once complete it carries what
/// the whole content showed: its SHA-256 and its type; <c>attachFile</c> then makes it a file on a record (once).
/// </summary>
internal sealed class FileUpload
{
    public Guid Id { get; set; }

    public string Owner { get; set; } = "";

    public long Length { get; set; }

    /// <summary>How many bytes are stored (tus's <c>Upload-Offset</c>).</summary>
    public long Offset { get; set; }

    /// <summary>The uploader's name, sanitised (<see cref="Content.FileNames"/>).</summary>
    public string FileName { get; set; } = "";

    /// <summary>The media type the client announced (<c>filetype</c>): kept for the record, never trusted.</summary>
    public string? DeclaredType { get; set; }

    /// <summary>The client's <c>Upload-Metadata</c> header as sent, echoed by HEAD.</summary>
    public string? Metadata { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When bytes were last stored (null: none yet, or an upload from before this was recorded).</summary>
    public DateTimeOffset? LastWrittenAt { get; set; }

    /// <summary>The upload's last activity: its last write, or its creation.</summary>
    public DateTimeOffset ActiveAt => LastWrittenAt ?? CreatedAt;

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole content, once complete.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The allow-listed type the content is (<see cref="Content.FileType.Name"/>), once complete.</summary>
    public string? TypeName { get; set; }

    /// <summary>The file made of it, once attached (its id is the upload's).</summary>
    public bool Attached { get; set; }

    /// <summary>What attaching made of the content (shown copy, original, thumbnail), once it did (see <see cref="Content.EvidenceCopies"/>).</summary>
    public Content.PreparedContent? Prepared { get; set; }

    public bool Complete => CompletedAt is not null;
}
