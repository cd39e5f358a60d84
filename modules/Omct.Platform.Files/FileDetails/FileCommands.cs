using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.Content;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.Portraits;
using Omct.Platform.Files.Uploads;

namespace Omct.Platform.Files.FileDetails;

/// <summary>The files' commands (scoped), through <see cref="StreamCommands"/>: attach an upload to a record, re-classify (downloads and views: <see cref="FileCustody"/>).</summary>
internal sealed class FileCommands(StreamCommands commands, FileVisibility access, FileUploads uploads, EvidenceCopies copies, IDocumentStore store)
{
    public const string What = "The file";
    public const int MaxDescription = 2000;

    private Caller Caller => commands.Caller;

    /// <summary>
    /// Makes the caller's complete upload a file on the record: the role the record's type asks (FORBIDDEN), then the record (hidden or unknown: NOT_FOUND, before
    /// anything about the upload is told), then the upload (someone else's or unknown: NOT_FOUND; incomplete: VALIDATION;
    /// attached already: CONFLICT).
    /// </summary>
    public async Task<StoredFile> AttachAsync(string recordId, string uploadId, Confidentiality? confidentiality, string? description,
        string? clientMutationId, CancellationToken ct, bool keepOriginal = false, FilePurpose purpose = FilePurpose.Document)
    {
        // The record's module says who may attach to it (AttachmentTarget.AttachRole): STAFF by default, EDITOR on an article
        // (as its own writes), NETWORK_MEMBER on a member organisation's own input to a call. Below a member, refused before
        // anything is looked up; otherwise a hidden or unknown record is NOT_FOUND first, and FORBIDDEN tells only of a record
        // the caller sees.
        commands.RequireRole(Role.NetworkMember);
        if (!GlobalId.TryDecode(recordId, out var recordType, out var id) || await access.FindRecordAsync(recordType, id, Caller, ct) is not { } target)
        {
            throw DomainException.NotFound("The record");
        }

        if (!Caller.HasRole(target.AttachRole))
        {
            throw DomainException.Forbidden();
        }

        if (target.TakesNoFiles is { } reason)
        {
            throw DomainException.Validation("recordId", reason);
        }

        if (await commands.RepeatAsync<StoredFile>("attachFile", clientMutationId, Caller.CanSee, What, ct) is { } repeated)
        {
            return repeated;
        }

        var upload = GlobalId.TryDecode(uploadId, TusEndpoint.IdType, out var uploadGuid) ? await uploads.FindOwnAsync(uploadGuid, Caller, ct) : null;
        if (upload is null)
        {
            throw DomainException.NotFound("The upload");
        }

        // Held while its content is read and the file made: no PATCH, termination or clean-up meanwhile; then read as it is.
        await using var held = await uploads.HoldAsync(upload.Id, wait: true, ct)
                               ?? throw DomainException.Conflict("The upload is being written to: try again in a moment.");
        upload = await uploads.FindOwnAsync(upload.Id, Caller, ct) ?? throw DomainException.NotFound("The upload");

        if (!upload.Complete)
        {
            throw DomainException.Validation("uploadId", $"The upload is not complete ({upload.Offset} of {upload.Length} bytes): send the rest first.");
        }

        if (upload.Attached)
        {
            throw DomainException.Conflict("This upload is attached already.");
        }

        if (description is { Length: > MaxDescription })
        {
            throw DomainException.Validation("description", $"At most {MaxDescription} characters.");
        }

        if (purpose == FilePurpose.Portrait && recordType != PortraitRecordType)
        {
            throw DomainException.Validation("purpose", "Only a defender has a portrait: attach the file as a DOCUMENT.");
        }

        var level = Caller.Writable(confidentiality);
        var type = FileTypes.All.Single(t => t.Name == upload.TypeName);
        if (purpose == FilePurpose.Portrait)
        {
            if (!type.MediaType.StartsWith("image/", StringComparison.Ordinal))
            {
                throw DomainException.Validation("purpose", "A portrait is an image.");
            }

            FileDecider.EnsurePortraitLevel(purpose, level, await ConsentedAsync(id, ct));
        }

        // The shown copy (an image's metadata removed), the thumbnail and a PDF's text: see EvidenceCopies.
        var prepared = await copies.PrepareAsync(upload, type, keepOriginal, ct);
        var text = await copies.TextAsync(upload.Id, prepared.Size, type, ct);
        object[] events =
        [
            new FileUploaded(upload.Id, FileNames.ForType(upload.FileName, type), type.Name, type.MediaType, prepared.Size, prepared.Sha256, upload.Owner,
                upload.CompletedAt!.Value, prepared.Original, prepared.Thumbnail),
            new FileAttached(recordType, id, level, string.IsNullOrWhiteSpace(description) ? null : description.Trim(), purpose),
        ];
        try
        {
            return await commands.StartAsync<StoredFile>("attachFile", upload.Id, events, clientMutationId, Caller.CanSee, What,
                session =>
                {
                    upload.Attached = true;
                    session.Store(upload);
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        session.Store(new Search.FileText { Id = upload.Id, Text = text });
                    }
                }, ct);
        }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            throw DomainException.Conflict("This upload is attached already.");
        }
    }

    public async Task<StoredFile> ReclassifyAsync(string fileId, int? expectedVersion, Confidentiality level, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var id = GlobalId.DecodeOrNotFound(fileId, FileIds.File, What);
        if (await commands.RepeatAsync<StoredFile>("reclassifyFile", clientMutationId, Caller.CanSee, What, ct) is { } repeated)
        {
            return repeated;
        }

        // Its record too must be visible (the stream's own check sees only the file's level).
        var visible = await access.FindVisibleAsync(id, Caller, ct) ?? throw DomainException.NotFound(What);
        var publicPortrait = visible is { Purpose: FilePurpose.Portrait, Confidentiality: Confidentiality.Public };
        var consented = visible.Purpose == FilePurpose.Portrait && (level == Confidentiality.Public || publicPortrait) && await ConsentedAsync(visible.RecordId, ct);
        // The levels the file is seen at, for the change feed's REDACTED: as read now (a PUBLIC portrait without consent is STAFF), and its record's.
        var readAs = publicPortrait && !consented ? Confidentiality.Staff : visible.Confidentiality;
        var record = await access.FindRecordAsync(visible.RecordType, visible.RecordId, Caller, ct);
        commands.RequireRole(record?.AttachRole ?? Role.Staff);
        return await commands.DecideAsync<FileState, StoredFile>("reclassifyFile", id, expectedVersion, clientMutationId,
            state => FileDecider.Reclassify(state, level, Caller.Clearance, consented, readAs, record?.Confidentiality), Caller.CanSee, Caller.CanSee, What, null, ct);
    }

    /// <summary>The record type a portrait belongs to (the defenders' global id type).</summary>
    public const string PortraitRecordType = Defenders.Contracts.DefenderIds.Defender;

    private async Task<bool> ConsentedAsync(Guid defenderId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await PortraitRule.ConsentedAsync(session, defenderId, ct);
    }
}

internal static class FileIds
{
    public const string File = "File";
}
