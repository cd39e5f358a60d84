using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>One day of a daily job's work, inside the transaction that also marks the day completed (<see cref="Now"/>: the platform's clock when the day began).</summary>
public sealed record JobDay(DateOnly Day, JobRunContext Run, NpgsqlConnection Connection, NpgsqlTransaction Transaction, DateTimeOffset Now);

/// <summary>
/// The last day each daily job completed (<c>jobs_progress</c>). The row of a job is locked for the
/// length of a day's transaction, so two hosts that run the same job at the same moment do it one
/// after the other, and the second finds the day done.
/// </summary>
public sealed class JobProgress(IDocumentStore store)
{
    public const string TableName = "jobs_progress";

    private string Table => $"{store.Options.DatabaseSchemaName}.{TableName}";

    public static Table Schema(string schema)
    {
#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<string>("job").AsPrimaryKey();
        table.AddColumn("last_completed_day", "date");
        table.AddColumn("updated_at", "timestamp with time zone");
        return table;
    }

    public async Task<DateOnly?> LastCompletedAsync(string job, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"select last_completed_day from {Table} where job = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = job });
        return await ReadDayAsync(command, cancellationToken);
    }

    /// <summary>
    /// The <c>date</c> a command selects, null when there is no row or it is null. Read with
    /// <c>GetFieldValue&lt;DateOnly&gt;</c>: the boxed value of <c>ExecuteScalar</c> is the provider's default
    /// mapping of <c>date</c>, a <see cref="DateTime"/> on Npgsql 9 and a <see cref="DateOnly"/> on Npgsql 10.
    /// </summary>
    private static async Task<DateOnly?> ReadDayAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        return await reader.ReadAsync(cancellationToken) && !await reader.IsDBNullAsync(0, cancellationToken)
            ? reader.GetFieldValue<DateOnly>(0)
            : null;
    }

    /// <summary>Opens a day's transaction holding the job's row lock; returns the last completed day as read under the lock.</summary>
    internal async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction, DateOnly? Last)> BeginDayAsync(string job, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The row exists after the job's first run; until then this inserts it (and writes nothing later).
            await using (var ensure = new NpgsqlCommand($"insert into {Table} (job) values ($1) on conflict (job) do nothing", connection, transaction))
            {
                ensure.Parameters.Add(new NpgsqlParameter { Value = job });
                await ensure.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var locked = new NpgsqlCommand($"select last_completed_day from {Table} where job = $1 for update", connection, transaction);
            locked.Parameters.Add(new NpgsqlParameter { Value = job });
            var last = await ReadDayAsync(locked, cancellationToken);
            return (connection, transaction, last);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves the job's last completed day forward to <paramref name="day"/> (never back; nothing written when it is there already).</summary>
    internal async Task CompleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string job, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"update {Table} set last_completed_day = $2, updated_at = $3 where job = $1 and (last_completed_day is null or last_completed_day < $2)",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = job });
        command.Parameters.Add(new NpgsqlParameter { Value = day });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// A job that works day by day (reminders, digests, reports). A run does every day from the day after
/// the last completed one up to today in the job's time zone — or up to <c>asOf</c> — so a host that was
/// down catches up, at most <see cref="MaxCatchUpDays"/> days back (older days are skipped, with a
/// warning). Each day is one transaction: the day's work and the new last completed day commit
/// together. A day at or before the last completed one (a manual rerun) is done again and must write
/// nothing new: the work is idempotent by construction (deterministic keys, inserts that do nothing on
/// conflict). The first run ever does just the day it runs for. A day after today (a manual run ahead
/// of time) is done but not recorded as completed.
/// </summary>
public abstract class DailyJob(JobProgress progress, TimeProvider time, ILogger logger) : SystemJob
{
    public const int MaxCatchUpDays = 90;

    /// <summary>The work of one day, on the day's connection and transaction; returns how many things it produced.</summary>
    protected abstract Task<int> ProcessDayAsync(JobDay day, CancellationToken cancellationToken);

    protected sealed override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var today = run.Job.Schedule.Today(time);
        var target = run.AsOf ?? today; // set by JobRunner: asOf, or today in the job's time zone
        var days = Plan(await progress.LastCompletedAsync(run.Job.Name, cancellationToken), target, out var skipped);
        if (skipped > 0)
        {
            logger.LogWarning("Job {Job} was {Missed} days behind; catching up only the last {Days} days ({From} to {To})",
                run.Job.Name, skipped + days.Count, days.Count, days[0], days[^1]);
        }
        else if (days.Count > 1)
        {
            logger.LogInformation("Job {Job} catching up {Days} days ({From} to {To})", run.Job.Name, days.Count, days[0], days[^1]);
        }

        var items = 0;
        var done = 0;
        // Progress in days: a catch-up of many days shows how far it is.
        await run.ReportProgressAsync(done, days.Count, cancellationToken);
        foreach (var day in days)
        {
            var (connection, transaction, _) = await progress.BeginDayAsync(run.Job.Name, cancellationToken);
            await using (connection)
            await using (transaction)
            {
                var now = time.GetUtcNow();
                items += await ProcessDayAsync(new JobDay(day, run, connection, transaction, now), cancellationToken);
                // A manual run for a day still to come does its work but leaves the progress at today at most:
                // the schedule's catch-up after downtime must not believe days done that have not yet been.
                if (day <= today)
                {
                    await progress.CompleteAsync(connection, transaction, run.Job.Name, day, now, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            await run.ReportProgressAsync(++done, days.Count, cancellationToken);
        }

        return items;
    }

    /// <summary>The days a run for <paramref name="target"/> does, given the last completed day.</summary>
    public static IReadOnlyList<DateOnly> Plan(DateOnly? lastCompleted, DateOnly target, out int skipped)
    {
        skipped = 0;
        if (lastCompleted is not { } last || target <= last)
        {
            return [target];
        }

        var from = last.AddDays(1);
        var missed = target.DayNumber - from.DayNumber + 1;
        if (missed > MaxCatchUpDays)
        {
            skipped = missed - MaxCatchUpDays;
            from = target.AddDays(-(MaxCatchUpDays - 1));
        }

        return Enumerable.Range(0, target.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
    }
}
