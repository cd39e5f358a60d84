using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.GraphQL;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.Export;

/// <summary>
/// <c>GET /export/submissions</c>: the submissions the caller may see, with the fields of
/// <c>Submission</c> (organisations are not exported: each one's visibility is the organisations
/// export's decision; the text is STAFF's in GraphQL and is not exported). Its columns are the SUBMISSION
/// importer's fields: an export imports back (mechanism, dates, status through text, submittedOn and outcomeOn).
/// </summary>
internal sealed class SubmissionExportSource : IExportSource
{
    public string Name => "submissions";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "mechanism", "title", "countryCode", "dueOn", "session", "sessionStartsOn", "catStage", "status", "wordCount", "fileReference",
         "submittedOn", "outcomeOn", "recordedOn", "recommendationCount", "confidentiality", "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        await foreach (var s in session.Query<Submission>().Where(s => levels.Contains(s.Confidentiality)).OrderBy(s => s.OrderKey).ToAsyncEnumerable(cancellationToken))
        {
            yield return
            [
                GlobalId.Encode(SubmissionIds.Submission, s.Id), s.Mechanism, s.Title, s.CountryCode, s.DueOn, s.Session, s.SessionStartsOn, s.CatStage,
                s.Status, s.WordCount, s.FileReference, s.SubmittedOn, s.OutcomeOn, s.RecordedOn, s.Recommendations.Count, s.Confidentiality, s.Version, s.CreatedAt, s.UpdatedAt,
            ];
        }
    }
}

/// <summary>
/// <c>GET /export/calls-for-input</c>: STAFF only (calls are the network's work; an integrator
/// does not see them), within clearance, with the number of inputs received (not their texts). Its columns are
/// the CALL_FOR_INPUT importer's fields: an export imports back (a closed call with its closedAt).
/// </summary>
internal sealed class CallForInputExportSource : IExportSource
{
    public string Name => "calls-for-input";

    public Role? RequiredRole => Role.Staff;

    public IReadOnlyList<string> Columns { get; } =
        ["id", "title", "question", "deadline", "status", "closedAt", "recordedOn", "audienceCountryCodes", "audienceRegions", "inputCount",
         "confidentiality", "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        await foreach (var c in session.Query<CallForInput>().Where(c => levels.Contains(c.Confidentiality)).OrderBy(c => c.OrderKey).ToAsyncEnumerable(cancellationToken))
        {
            if (!CallVisibility.Sees(caller, c, null))
            {
                continue;
            }

            yield return
            [
                GlobalId.Encode(SubmissionIds.CallForInput, c.Id), c.Title, c.Question, c.Deadline, c.Status, c.ClosedAt, c.RecordedOn, c.AudienceCountryCodes, c.AudienceRegions,
                c.Inputs.Count, c.Confidentiality, c.Version, c.CreatedAt, c.UpdatedAt,
            ];
        }
    }
}
