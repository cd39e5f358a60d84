using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Digests.Composing;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Digests.Reports;

/// <summary>One figure of a report: in which table, for which key (and sub-key: a submission's status), how many.</summary>
public sealed record ReportFigure(string Table, string Key, string? SubKey, long Count);

/// <summary>The monthly statistics of one month at one clearance, as CSV and HTML.</summary>
public sealed record Report(Guid Id, DateOnly Month, Confidentiality Clearance, DateTimeOffset GeneratedAt, IReadOnlyList<ReportFigure> Figures, string Csv, string Html)
{
    public long OrderKey { get; init; }

    public static Guid IdOf(DateOnly month, Confidentiality clearance) => NameBasedId.Of($"report:{month:yyyy-MM}:{clearance}");

    /// <summary>The file name of a download (<c>omct-report-2026-11-staff.csv</c>).</summary>
    public string FileName(string extension) => $"omct-report-{Month:yyyy-MM}-{Clearance.ToString().ToLowerInvariant()}.{extension}";
}

/// <summary>
/// The reports (<c>digests_report</c>): inserted once per month and clearance (deterministic id, only
/// when absent), listed newest first on <c>order_key</c>.
/// </summary>
internal sealed class ReportStore(IDocumentStore store) : IPagedByClearance<Report>
{
    public const string TableName = "digests_report";
    private const string SequenceName = "digests_report_seq";
    private const string Columns = "id, month, clearance, generated_at, figures, csv, html, order_key";

    private string Schema => store.Options.DatabaseSchemaName;

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static IEnumerable<Weasel.Core.ISchemaObject> SchemaObjects(string schema)
    {
        yield return new Sequence(new PostgresqlObjectName(schema, SequenceName));
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn("month", "date").NotNull();
        table.AddColumn<string>("clearance").NotNull();
        table.AddColumn("generated_at", "timestamp with time zone").NotNull();
        table.AddColumn("figures", "jsonb").NotNull();
        table.AddColumn<string>("csv").NotNull();
        table.AddColumn<string>("html").NotNull();
        table.AddColumn<long>("order_key").NotNull();
        table.Indexes.Add(new IndexDefinition("digests_report_order") { Columns = ["order_key"], IsUnique = true });
        table.Indexes.Add(new IndexDefinition("digests_report_month") { Columns = ["month", "clearance"], IsUnique = true });
        yield return table;
    }

    public async Task<bool> ExistsAsync(Guid id, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.Sql($"select exists (select 1 from {Schema}.{TableName} where id = @id)", transaction).Bind("id", id);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<bool> InsertNewAsync(Report report, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {Schema}.{TableName} ({Columns}) select $1, $2, $3, $4, $5, $6, $7, nextval('{Schema}.{SequenceName}') " +
            $"where not exists (select 1 from {Schema}.{TableName} where id = $1 or (month = $2 and clearance = $3)) on conflict do nothing",
            connection, transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = report.Id });
        p.Add(new NpgsqlParameter { Value = report.Month });
        p.Add(new NpgsqlParameter { Value = report.Clearance.ToString() });
        p.Add(new NpgsqlParameter { Value = report.GeneratedAt.ToUniversalTime() });
        p.Add(new NpgsqlParameter { Value = System.Text.Json.JsonSerializer.Serialize(report.Figures, Composing.DigestStore.Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter { Value = report.Csv });
        p.Add(new NpgsqlParameter { Value = report.Html });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<Report>> PageAsync(Confidentiality[] levels, long? afterKey, int take, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql("").BindNames("levels", levels)
            .KeysetPage($"select {Columns} from {Schema}.{TableName} where clearance = any(@levels)", afterKey, take);
        return await command.ReadAllAsync(Read, ct);
    }

    public async Task<int> CountAsync(Confidentiality[] levels, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql($"select count(*) from {Schema}.{TableName} where clearance = any(@levels)").BindNames("levels", levels);
        return await command.CountAsync(ct);
    }

    /// <summary>A report the caller may see (its clearance among <paramref name="levels"/>); null when there is none or it is above them — not told apart.</summary>
    public async Task<Report?> FindAsync(Guid id, Confidentiality[] levels, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql($"select {Columns} from {Schema}.{TableName} where id = @id and clearance = any(@levels)")
            .Bind("id", id).BindNames("levels", levels);
        return await command.ReadFirstAsync(Read, ct);
    }

    private static Report Read(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), Enum.Parse<Confidentiality>(reader.GetString(2)),
            reader.GetFieldValue<DateTimeOffset>(3),
            System.Text.Json.JsonSerializer.Deserialize<List<ReportFigure>>(reader.GetString(4), Composing.DigestStore.Json) ?? [],
            reader.GetString(5), reader.GetString(6))
        {
            OrderKey = reader.GetInt64(7),
        };
}
