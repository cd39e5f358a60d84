using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.Attachments;

/// <summary>
/// Submissions and inputs to calls for input take files, seen by the module's own rules: a submission the caller may see
/// (its level); an input as <c>CallForInput.inputs</c> shows it (<see cref="CallInputFinder"/>; the call's level). Staff
/// attach to both; a member organisation attaches to its own input while the call is open — how it answers with a document.
/// </summary>
internal sealed class SubmissionAttachmentTargets(IDocumentStore store, CallInputFinder inputs, TimeProvider time) : IAttachmentTargets
{
    public IReadOnlyCollection<string> RecordTypes { get; } = [SubmissionIds.Submission, SubmissionIds.CallInput, SubmissionIds.CallForInput];

    public async Task<IReadOnlyDictionary<Guid, AttachmentTarget>> FindAsync(
        string recordType, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, AttachmentTarget>();
        if (recordType == SubmissionIds.Submission)
        {
            await using var session = store.QuerySession();
            foreach (var found in await session.LoadManyAsync<Submission>(cancellationToken, ids.Distinct()))
            {
                if (caller.CanSee(found))
                {
                    result[found.Id] = new AttachmentTarget(recordType, found.Id, found.Confidentiality);
                }
            }
        }
        else if (recordType == SubmissionIds.CallForInput)
        {
            // A call for input itself (its owner, tasks and notes in the teamwork module; files attach to its inputs).
            await using var session = store.QuerySession();
            foreach (var found in await session.LoadManyAsync<CallForInput>(cancellationToken, ids.Distinct()))
            {
                if (caller.CanSee(found))
                {
                    result[found.Id] = new AttachmentTarget(recordType, found.Id, found.Confidentiality)
                    {
                        TakesNoFiles = "A call for input takes no files: attach them to its inputs.",
                    };
                }
            }
        }
        else if (recordType == SubmissionIds.CallInput)
        {
            var today = time.TodayUtc();
            foreach (var (id, (call, input)) in await inputs.FindAsync(ids, caller, cancellationToken))
            {
                var ownWhileOpen = input.OrganisationId == caller.OrganisationId && call.Status == CallStatus.Open && today <= call.Deadline;
                result[id] = new AttachmentTarget(recordType, id, call.Confidentiality) { AttachRole = ownWhileOpen ? Role.NetworkMember : Role.Staff };
            }
        }

        return result;
    }
}
