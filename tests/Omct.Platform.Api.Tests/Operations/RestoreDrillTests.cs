using System.Diagnostics;
using System.Text.RegularExpressions;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Operations;

/// <summary>
/// The restore drill (build/ops/restore-drill.sh) run as an operator would: a cluster of its own with WAL archiving, the
/// built host as its own process, build/backup.sh and build/restore.sh. A person erased after the backup is erased again
/// from the ledger when the host starts on the restored database, and no acknowledged write is lost.
/// </summary>
public sealed partial class RestoreDrillTests
{
    [Fact]
    public async Task Restoring_a_backup_taken_before_an_erasure_erases_the_person_again_and_loses_no_acknowledged_write()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "build", "ops", "restore-drill.sh"), "--writers", "2", "--seconds", "4"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.Environment["OPS_NO_BUILD"] = "1";   // the suite runs on the build it tests
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await process.WaitForExitAsync(timeout.Token);
        var stdout = await output;
        var all = stdout + await error;

        Assert.True(process.ExitCode == 0, all);
        Assert.EndsWith("restore drill passed", stdout.TrimEnd());

        // The acknowledged writes before the backup, and what the restored database holds of them: equal, none lost.
        var before = BeforeBackup().Match(stdout);
        Assert.True(before.Success, stdout);
        Assert.True(int.Parse(before.Groups["acked"].Value) > 0, stdout);
        Assert.Equal(before.Groups["acked"].Value, before.Groups["stored"].Value);
        // The writes after the backup came back through WAL replay, and the server names the point it stopped at.
        var after = AfterBackup().Match(stdout);
        Assert.True(after.Success, stdout);
        Assert.Equal(after.Groups["acked"].Value, after.Groups["stored"].Value);
        Assert.Matches("recovery point: recovery stopping before commit of transaction [0-9]+, time 20", stdout);
        Assert.Contains("ok: the host erased the person again from the ledger before it was ready", all);
        Assert.Contains("ok: case: the victim shows the pseudonym, no name", all);
        Assert.Contains("ok: case: the title and the event's description show the pseudonym where the name was typed", all);
        Assert.Contains("ok: no event holds the name", all);
    }

    [GeneratedRegex(@"writes acknowledged before the backup: (?<acked>[0-9]+); after the restore: acknowledged (?<acked2>[0-9]+), stored (?<stored>[0-9]+), lost 0, duplicated 0")]
    private static partial Regex BeforeBackup();

    [GeneratedRegex(@"writes acknowledged after the backup, before the recovery target: (?<acked>[0-9]+); after the restore \(WAL replay\): acknowledged [0-9]+, stored (?<stored>[0-9]+), lost 0, duplicated 0")]
    private static partial Regex AfterBackup();
}
