using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>
/// The live record of one run in <see cref="JobRunLog"/>: written when the run starts, updated with the progress
/// its job reports (at most every <see cref="MinInterval"/>, and always at the last step) and with a heartbeat every
/// <see cref="JobRunLog.HeartbeatInterval"/> while it runs, so that a run whose process died stops being listed.
/// None of it can fail the run: the record is for admins to watch; a write that fails is logged and skipped.
/// It does not change how a run is claimed: the Quartz cluster still fires a trigger on one node, and daily jobs
/// still serialise on their <c>jobs_progress</c> row.
/// </summary>
internal sealed class JobRunProgress(Guid runId, JobRunLog runs, ILogger log) : IDisposable
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);

    private readonly Stopwatch _sinceWrite = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private Task _heartbeat = Task.CompletedTask;

    public int? Done { get; private set; }

    public int? Total { get; private set; }

    public async Task StartAsync(JobRun run)
    {
        await SafelyAsync(() => runs.StartAsync(run, CancellationToken.None));
        _heartbeat = HeartbeatAsync(_stop.Token);
    }

    public async Task ReportAsync(int done, int? total, CancellationToken cancellationToken)
    {
        (Done, Total) = (Math.Max(0, done), total is { } t ? Math.Max(0, t) : null);
        var last = total is { } all && done >= all;
        if (!last && _sinceWrite.IsRunning && _sinceWrite.Elapsed < MinInterval)
        {
            return;
        }

        _sinceWrite.Restart();
        await SafelyAsync(() => runs.ProgressAsync(runId, Done, Total, cancellationToken));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _heartbeat;
    }

    public void Dispose()
    {
        _stop.Dispose();
        _write.Dispose();
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(JobRunLog.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await SafelyAsync(() => runs.ProgressAsync(runId, null, null, stop));
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task SafelyAsync(Func<Task> write)
    {
        await _write.WaitAsync();
        try
        {
            await write();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not record the progress of job run {RunId}", runId);
        }
        finally
        {
            _write.Release();
        }
    }
}
