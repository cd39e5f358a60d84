using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Cases.References;

/// <summary>
/// The counters references are made of (global case number, per-country sequence, appeal number
/// per year), in one PostgreSQL table: an atomic upsert hands out each number once, also to two
/// hosts at the same moment. A number taken by a command that then fails stays unused: references
/// have gaps but are never reused.
/// </summary>
internal sealed class ReferenceCounters(IDocumentStore store)
{
    public const string TableName = "cases_counters";

    public static Table Table(string schema)
    {
        // The two-part name is what Marten's own tables use; the newer overload only adds quoting rules.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn<long>("last").NotNull();
        return table;
    }

    /// <summary>The counter of a country's sequence in a year: it restarts each year, as the appeal number does.</summary>
    public static string CountryKey(string alpha3, int year) => $"country:{alpha3}:{year}";

    /// <summary>The counter of the appeal numbers of a year.</summary>
    public static string AppealKey(int year) => $"appeal:{year}";

    /// <summary>The next number of each counter, in one round trip (an atomic upsert per key).</summary>
    public Task<long[]> NextAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        AdvanceAsync([.. keys.Select(k => (k, (long?)null))], cancellationToken);

    /// <summary>
    /// In one round trip and one transaction (an atomic upsert per key): each counter without a number moves to its
    /// next number; each counter with one (an original reference's) moves to that number when it is behind it, never
    /// backwards, so that the numbers handed out later come after it — also when two hosts do this at once. Returns
    /// each counter's value afterwards.
    /// </summary>
    public async Task<long[]> AdvanceAsync(IReadOnlyList<(string Key, long? AtLeast)> counters, CancellationToken cancellationToken)
    {
        await using var connection = (Npgsql.NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var convert = !_converted;
        var (numbers, fresh) = await AdvanceAsync(connection, counters, convert, cancellationToken);
        if (fresh && !convert)
        {
            // A country's counter for a year made now: undone, and made again after the conversion (which then starts it
            // past that year's references if an old counter is still there).
            await transaction.RollbackAsync(cancellationToken);
            await using var again = await connection.BeginTransactionAsync(cancellationToken);
            (numbers, _) = await AdvanceAsync(connection, counters, convert: true, cancellationToken);
            await again.CommitAsync(cancellationToken);
            return numbers;
        }

        await transaction.CommitAsync(cancellationToken);
        _converted = true;
        return numbers;
    }

    /// <summary>
    /// Counters kept per country across years (before the sequence restarted each year) become per country and year: each
    /// starts past the references of that country and year already made. Run by the first advance of the process, then only when a country's counter of a year is made (a database restored or written by an older
    /// version meanwhile): not in every openCase. On a database without old counters, the delete finds none and the cases are not scanned.
    /// </summary>
    private volatile bool _converted;

    private async Task<(long[] Numbers, bool FreshCountry)> AdvanceAsync(
        Npgsql.NpgsqlConnection connection, IReadOnlyList<(string Key, long? AtLeast)> counters, bool convert, CancellationToken cancellationToken)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var batch = new Npgsql.NpgsqlBatch(connection);
        if (convert)
        {
            batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(
                $"with old as (delete from {schema}.{TableName} where key ~ '^country:[A-Z]{{3}}$' returning key) " +
                $"insert into {schema}.{TableName} as c (key, last) " +
                $"select 'country:' || left(d.data ->> 'reference', 3) || ':' || left(d.data ->> 'openedOn', 4), " +
                "max(substring(d.data ->> 'reference' from '^[A-Z]{3} ([0-9]+) /')::bigint) " +
                $"from {schema}.mt_doc_cases_case d where exists (select 1 from old) and d.data ->> 'reference' ~ '^[A-Z]{{3}} [0-9]+ /' group by 1 " +
                "on conflict (key) do update set last = greatest(c.last, excluded.last) returning last"));
        }

        foreach (var (key, atLeast) in counters)
        {
            // xmax = 0: the row was inserted by this statement (a counter made now), not updated.
            var command = atLeast is { } number
                ? new Npgsql.NpgsqlBatchCommand(
                    $"insert into {schema}.{TableName} as c (key, last) values ($1, $2) on conflict (key) do update set last = greatest(c.last, $2) returning last, xmax = 0")
                : new Npgsql.NpgsqlBatchCommand(
                    $"insert into {schema}.{TableName} as c (key, last) values ($1, 1) on conflict (key) do update set last = c.last + 1 returning last, xmax = 0");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
            if (atLeast is { } value)
            {
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(command);
        }

        var numbers = new long[counters.Count];
        var fresh = false;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < counters.Count; i++)
        {
            if (i > 0 || convert)
            {
                // Past the conversion's result (when it ran), then each counter's.
                await reader.NextResultAsync(cancellationToken);
            }

            await reader.ReadAsync(cancellationToken);
            numbers[i] = reader.GetInt64(0);
            fresh |= reader.GetBoolean(1) && counters[i].Key.StartsWith("country:", StringComparison.Ordinal);
        }

        return (numbers, fresh);
    }
}
