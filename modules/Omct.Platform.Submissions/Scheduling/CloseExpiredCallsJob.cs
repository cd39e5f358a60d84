using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.Scheduling;

/// <summary>Every quarter of an hour (clustered: on one node), closes the calls for input whose deadline has passed, once each.</summary>
internal sealed class CloseExpiredCallsJob(SubmissionCommands submissions) : SystemJob
{
    public static readonly JobDefinition Definition = new(
        "CLOSE_EXPIRED_CALLS", typeof(CloseExpiredCallsJob), JobSchedule.Every(TimeSpan.FromMinutes(15)), "calls-for-input",
        "Closes the calls for input whose deadline day is over.", group: "submissions");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken) =>
        (await submissions.CloseExpiredCallsAsync(cancellationToken)).Count;
}
