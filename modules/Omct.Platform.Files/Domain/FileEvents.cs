using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Files.Domain;

// A file's stream (its id is its upload's) is its chain of custody: every event records who (the caller id, naming
// the credential: apikey:…, user:…), when, and the request's trace id; the audit trail and File.custody show them.

/// <summary>
/// The upload the file was made of: what the whole content showed when its last byte was stored. For an image,
/// <see cref="Size"/> and <see cref="Sha256"/> are the shown copy's (its metadata removed) and <see cref="Original"/>
/// records the upload's own; <see cref="Thumbnail"/> is its stored preview, if it has one.
/// </summary>
public sealed record FileUploaded(Guid FileId, string FileName, string TypeName, string MediaType, long Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt,
    OriginalContent? Original = null, StoredPreview? Thumbnail = null);

/// <summary>The content as uploaded, when the file shows a copy of it: its SHA-256 and size, and where it is kept when the uploader asked (else it is gone).</summary>
public sealed record OriginalContent(string Sha256, long Size, Guid? KeptAs);

/// <summary>A preview stored (encrypted) beside the file under its own id.</summary>
public sealed record StoredPreview(Guid Id, long Size, string Sha256, string MediaType);

/// <summary>What a file is to its record: a document (the default), or a defender's portrait.</summary>
public enum FilePurpose { Document = 0, Portrait = 1 }

/// <summary>The file is attached to a record (<c>Case</c>, <c>CaseEvent</c>, <c>Defender</c> …) with its own level and its purpose there.</summary>
public sealed record FileAttached(string RecordType, Guid RecordId, Confidentiality Confidentiality, string? Description, FilePurpose Purpose = FilePurpose.Document);

// FileReclassified is a contract event (Omct.Platform.Files.Contracts): the digests module follows it.

/// <summary>
/// The file's content can never be read again: its key was destroyed with its defender's personal data (in the erasure's
/// transaction, <see cref="Erasure.FileErasureParticipant"/>). The change feed lists it as DELETED.
/// </summary>
public sealed record FileErased(DateTimeOffset ErasedAt);

/// <summary>
/// The file's content was sent to the caller, after its SHA-256 verified. No level of its own: the entry is shown with
/// the file (an event carrying the file's level would hide the download from an admin who may see the file).
/// </summary>
public sealed record FileDownloaded(long Size, string Sha256);
