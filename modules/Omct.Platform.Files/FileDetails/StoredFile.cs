using JasperFx.Events;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Files.Domain;

namespace Omct.Platform.Files.FileDetails;

/// <summary>
/// A file as read (kept inline from its stream): what it is, where it is attached, its level, and its chain of custody.
/// Its content is in <see cref="Storage.IFileStore"/> under the same id.
/// </summary>
public sealed class StoredFile : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public string? Description { get; set; }

    /// <summary>What the file is to its record: a document, or a defender's portrait.</summary>
    public FilePurpose Purpose { get; set; }
    public string FileName { get; set; } = "";
    public string TypeName { get; set; } = "";
    public string MediaType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
    /// <summary>The content as uploaded, when the file shows a copy of it (an image without its metadata).</summary>
    public OriginalContent? Original { get; set; }
    /// <summary>The stored thumbnail, when the file has one.</summary>
    public StoredPreview? Thumbnail { get; set; }
    public List<CustodyEntry> Custody { get; set; } = [];

    /// <summary>
    /// When the file's key was destroyed with its defender's erasure (<see cref="Erasure.FileErasureProjection"/>): its
    /// content can never be read again. Stored from the file's <see cref="FileErased"/>; for a file erased before that event
    /// existed, set as the file is read (from the defender's erasure).
    /// </summary>
    public DateTimeOffset? ErasedAt { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum CustodyKind { Uploaded, Attached, Reclassified, Downloaded, Viewed }

/// <summary>One link of the chain of custody: what happened to the file, when, by whom (the caller id: the credential used), in which request.</summary>
public sealed class CustodyEntry
{
    public CustodyKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string? By { get; set; }
    public string? TraceId { get; set; }
    /// <summary>For a re-classification: the level before and after.</summary>
    public Confidentiality? From { get; set; }
    public Confidentiality? To { get; set; }
}

/// <summary>Keeps <see cref="StoredFile"/> from the file's stream, inline (the uploader reads the attached file at once).</summary>
public sealed class StoredFileProjection : SingleStreamProjection<StoredFile, Guid>
{
    public static StoredFile Create(IEvent<FileUploaded> e)
    {
        var u = e.Data;
        var file = new StoredFile
        {
            Id = u.FileId, FileName = u.FileName, TypeName = u.TypeName, MediaType = u.MediaType, Size = u.Size, Sha256 = u.Sha256,
            UploadedBy = u.UploadedBy, UploadedAt = u.UploadedAt, Confidentiality = Confidentiality.Restricted, CreatedAt = e.Timestamp,
            Original = u.Original, Thumbnail = u.Thumbnail,
        };
        // The upload's own time, not the attach's: the content was in when its last byte was stored.
        file.Custody.Add(new CustodyEntry { Kind = CustodyKind.Uploaded, At = u.UploadedAt, By = u.UploadedBy, TraceId = e.CorrelationId });
        return Touch(file, e);
    }

    public static StoredFile Apply(IEvent<FileAttached> e, StoredFile file)
    {
        file.RecordType = e.Data.RecordType;
        file.RecordId = e.Data.RecordId;
        file.Confidentiality = e.Data.Confidentiality;
        file.Description = e.Data.Description;
        file.Purpose = e.Data.Purpose;
        return Entry(file, e, CustodyKind.Attached);
    }

    public static StoredFile Apply(IEvent<FileReclassified> e, StoredFile file)
    {
        file.Confidentiality = e.Data.Confidentiality;
        var entry = Entry(file, e, CustodyKind.Reclassified);
        file.Custody[^1].From = e.Data.Previous;
        file.Custody[^1].To = e.Data.Confidentiality;
        return entry;
    }

    /// <summary>The file's key was destroyed with its defender's personal data (read models before this event read it from the defender's erasure).</summary>
    public static StoredFile Apply(IEvent<FileErased> e, StoredFile file)
    {
        file.ErasedAt ??= e.Data.ErasedAt;
        return Touch(file, e);
    }

    /// <summary>A download recorded in the file's stream before downloads went to the audit store (see <see cref="FileCustody"/>).</summary>
    public static StoredFile Apply(IEvent<FileDownloaded> e, StoredFile file) => Entry(file, e, CustodyKind.Downloaded);

    private static StoredFile Entry(StoredFile file, IEvent e, CustodyKind kind)
    {
        file.Custody.Add(new CustodyEntry { Kind = kind, At = e.Timestamp, By = e.UserName, TraceId = e.CorrelationId });
        return Touch(file, e);
    }

    private static StoredFile Touch(StoredFile file, IEvent e)
    {
        file.Version = (int)e.Version;
        file.UpdatedAt = e.Timestamp;
        return file;
    }
}
