using System.Data.Common;
using System.Text;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.CaseList;

/// <summary>What a list, a count or a statistic of cases is restricted to (all optional).</summary>
internal sealed record CaseCriteria(
    IReadOnlyList<string> Countries,
    IReadOnlyList<CaseStatus> Statuses,
    IReadOnlyList<CaseEventType> EventTypes,
    DateOnly? OpenedFrom,
    DateOnly? OpenedTo,
    IReadOnlyList<Guid>? VictimDefenderIds,
    string? Text)
{
    public static readonly CaseCriteria None = new([], [], [], null, null, null, null);

    /// <summary>
    /// With <see cref="Text"/>: the cases, case events and victims whose attached files' text matches it, both the file and the
    /// record visible to the caller (the files module answers, <c>IAttachedFiles.RecordsWithMatchingTextAsync</c>).
    /// </summary>
    public IReadOnlyList<Guid> TextInFiles { get; init; } = [];
}

internal enum CaseOrder { OpenedOnDesc, OpenedOnAsc }

internal enum CaseStatisticsDimension { Country, Year, EventType, Status }

internal sealed record StatisticsBucket(string Key, long Count);

/// <summary>
/// Lists, counts and statistics of cases in SQL over the case documents' columns (see the
/// duplicated fields in <see cref="CasesModule"/>), with the caller's clearance as the first
/// condition of every query. Where a filter looks into the timeline or the victims (event types,
/// victim), only entries the caller may see can match, so a filter never reveals what the case
/// shows it not.
/// </summary>
internal sealed class CaseSearch(IDocumentStore store)
{
    private readonly string _table = $"{store.Options.DatabaseSchemaName}.mt_doc_cases_case";
    private readonly string _list = $"{store.Options.DatabaseSchemaName}.{CaseListRows.TableName}";
    private readonly string _anniversaries = $"{store.Options.DatabaseSchemaName}.mt_doc_{Anniversaries.CaseAnniversaries.Alias}";

    /// <summary>A page of whole documents, for a selection that shows more of a case than a list row carries (<see cref="ListPageAsync"/>).</summary>
    public async Task<IReadOnlyList<Case>> PageAsync(
        CaseCriteria criteria, Confidentiality[] levels, CaseOrder order, long? afterKey, int take, CancellationToken ct)
    {
        var sql = new Sql(levels);
        sql.Text.Append($"select d.data from {_table} d where {PageWhere(criteria, sql, order, afterKey, "d")} {PageOrder(order, take, sql)}");
        return await ReadCasesAsync(sql, ct);
    }

    /// <summary>
    /// The same page as <see cref="PageAsync"/> (the same conditions, order and keyset) read from the lean rows of
    /// <see cref="CaseListRows"/>: each case with only what a list shows (id, reference, title, country, status, level,
    /// opening date, victims; its timeline, interventions, summary, version and times are left empty) and only the victims within <paramref name="levels"/>,
    /// filtered in SQL. The case documents are joined only when the criteria look into them (event types, a victim, text).
    /// </summary>
    public async Task<IReadOnlyList<Case>> ListPageAsync(
        CaseCriteria criteria, Confidentiality[] levels, CaseOrder order, long? afterKey, int take, CancellationToken ct)
    {
        var sql = new Sql(levels);
        var inDocuments = criteria.EventTypes.Count > 0 || criteria.VictimDefenderIds is not null || !string.IsNullOrWhiteSpace(criteria.Text);
        var where = PageWhere(criteria, sql, order, afterKey, inDocuments ? "c" : "d");
        sql.Text.Append(
            "select d.id, d.order_key, d.reference, d.title, d.country_code, d.status, d.confidentiality, d.opened_on, " +
            $"(select coalesce(jsonb_agg(v.value order by v.ordinality), '[]') from jsonb_array_elements(d.victims) with ordinality v " +
            $"where v.value ->> 'confidentiality' = any({sql.Levels})) " +
            $"from {_list} d{(inDocuments ? $" join {_table} c on c.id = d.id" : "")} where {where} {PageOrder(order, take, sql)}");
        return await ReadCasesAsync(sql, ct, (reader, serializer) => new Case
        {
            Id = reader.GetGuid(0), OrderKey = reader.GetInt64(1), Reference = reader.GetString(2), Title = reader.GetString(3),
            CountryCode = reader.GetString(4), Status = Enum.Parse<CaseStatus>(reader.GetString(5)),
            Confidentiality = Enum.Parse<Confidentiality>(reader.GetString(6)), OpenedOn = reader.GetFieldValue<DateOnly>(7),
            Victims = serializer.FromJson<List<Victim>>(reader, 8),
        });
    }

    private static string PageWhere(CaseCriteria criteria, Sql sql, CaseOrder order, long? afterKey, string document)
    {
        var where = Where(criteria, sql, document);
        return afterKey is { } key ? $"{where} and d.order_key {(order == CaseOrder.OpenedOnDesc ? "<" : ">")} {sql.Add(key)}" : where;
    }

    private static string PageOrder(CaseOrder order, int take, Sql sql) =>
        $"order by d.order_key {(order == CaseOrder.OpenedOnDesc ? "desc" : "asc")} limit {sql.Add(take)}";

    /// <summary>The cases where any of <paramref name="defenderIds"/> is a victim the caller may see (at most 1,000, newest first).</summary>
    public async Task<IReadOnlyList<Case>> OfDefendersAsync(IReadOnlyCollection<Guid> defenderIds, Confidentiality[] levels, CancellationToken ct)
    {
        var sql = new Sql(levels);
        sql.Text.Append($"select d.data from {_table} d where d.confidentiality = any({sql.Levels}) and exists (select 1 from jsonb_array_elements(d.data->'victims') v " +
                        $"where v->>'defenderId' = any({sql.Add(defenderIds.Select(i => i.ToString()).ToArray())}) and v->>'confidentiality' = any({sql.Levels})) " +
                        "order by d.order_key desc limit 1000");
        return await ReadCasesAsync(sql, ct);
    }

    /// <summary>
    /// The cases matching <paramref name="criteria"/> (within the caller's levels) that may have an
    /// anniversary in a window, with their anniversary sources: found through the GIN indexes on the
    /// month-day keys and the detention start days, never by reading every case.
    /// </summary>
    public async Task<IReadOnlyList<(Case Case, Anniversaries.CaseAnniversaries Source)>> AnniversarySourcesAsync(
        CaseCriteria criteria, Confidentiality[] levels, int[] yearlyKeys, DateOnly[] detentionStarts, CancellationToken ct)
    {
        var sql = new Sql(levels);
        var where = Where(criteria, sql);
        var keys = sql.Add(new NpgsqlParameter { Value = yearlyKeys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var starts = sql.Add(new NpgsqlParameter { Value = detentionStarts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        sql.Text.Append($"select d.data, a.data from {_anniversaries} a join {_table} d on d.id = a.id " +
                        $"where (a.yearly_keys && {keys} or a.detention_starts && {starts}) and {where} order by d.order_key");
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = sql.Command(connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var serializer = store.Options.Serializer();
        var found = new List<(Case, Anniversaries.CaseAnniversaries)>();
        while (await reader.ReadAsync(ct))
        {
            // Two documents per row: each read whole (the serializer's reader overload leaves its column's stream open).
            found.Add((FromJson<Case>(serializer, reader.GetString(0)), FromJson<Anniversaries.CaseAnniversaries>(serializer, reader.GetString(1))));
        }

        return found;
    }

    /// <summary>
    /// The cases within the caller's levels (and these countries, when any) that were active on any of
    /// these days (<see cref="Case.ActivityDays"/>): found through its GIN index, never by reading every case.
    /// </summary>
    public async Task<IReadOnlyList<Case>> ActiveOnAsync(int[] days, IReadOnlyCollection<string> countries, Confidentiality[] levels, CancellationToken ct)
    {
        var sql = new Sql(levels);
        var where = Where(CaseCriteria.None with { Countries = countries.ToList() }, sql);
        var wanted = sql.Add(new NpgsqlParameter { Value = days, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        sql.Text.Append($"select d.data from {_table} d where d.activity_days && {wanted} and {where} order by d.order_key");
        return await ReadCasesAsync(sql, ct);
    }

    private static T FromJson<T>(ISerializer serializer, string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return serializer.FromJson<T>(stream);
    }

    /// <summary>The cases <paramref name="sql"/> reads: whole documents (its first column), or each row as <paramref name="row"/> makes it.</summary>
    private async Task<List<Case>> ReadCasesAsync(Sql sql, CancellationToken ct, Func<DbDataReader, ISerializer, Case>? row = null)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = sql.Command(connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var serializer = store.Options.Serializer();
        var cases = new List<Case>();
        while (await reader.ReadAsync(ct))
        {
            cases.Add(row is null ? serializer.FromJson<Case>(reader, 0) : row(reader, serializer));
        }

        return cases;
    }

    public async Task<int> CountAsync(CaseCriteria criteria, Confidentiality[] levels, CancellationToken ct)
    {
        var sql = new Sql(levels);
        sql.Text.Append($"select count(*) from {_table} d where {Where(criteria, sql)}");
        return (int)(long)(await ScalarAsync(sql, ct))!;
    }

    /// <summary>
    /// How many interventions were issued from <paramref name="issuedFrom"/> to <paramref name="issuedTo"/> (inclusive, each optional)
    /// on the cases matching <paramref name="criteria"/> within the caller's levels (an intervention is shown with its case).
    /// </summary>
    public async Task<int> InterventionCountAsync(
        CaseCriteria criteria, DateOnly? issuedFrom, DateOnly? issuedTo, Confidentiality[] levels, CancellationToken ct)
    {
        var sql = new Sql(levels);
        var where = Where(criteria, sql);
        if (issuedFrom is { } from)
        {
            where += $" and (i->>'issuedOn')::date >= {sql.Add(from)}";
        }

        if (issuedTo is { } to)
        {
            where += $" and (i->>'issuedOn')::date <= {sql.Add(to)}";
        }

        sql.Text.Append($"select count(*) from {_table} d cross join lateral jsonb_array_elements(d.data->'interventions') i where {where}");
        return (int)(long)(await ScalarAsync(sql, ct))!;
    }

    /// <summary>The cases within the caller's levels most recently changed first (their updatedAt), at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<Case>> RecentlyUpdatedAsync(Confidentiality[] levels, int take, CancellationToken ct)
    {
        var sql = new Sql(levels);
        sql.Text.Append($"select d.data from {_table} d where {Where(CaseCriteria.None, sql)} " +
                        $"order by (d.data->>'updatedAt')::timestamptz desc, d.order_key desc limit {sql.Add(take)}");
        return await ReadCasesAsync(sql, ct);
    }

    public async Task<IReadOnlyList<StatisticsBucket>> StatisticsAsync(
        CaseStatisticsDimension dimension, CaseCriteria criteria, Confidentiality[] levels, CancellationToken ct)
    {
        if (CountersCanAnswer(dimension, criteria) && await FromCountersAsync(dimension, criteria, levels, ct) is { } counted)
        {
            return counted;
        }

        var sql = new Sql(levels);
        var where = Where(criteria, sql);
        var (key, from) = dimension switch
        {
            CaseStatisticsDimension.Country => ("d.country_code", ""),
            CaseStatisticsDimension.Year => ("extract(year from d.opened_on)::int::text", ""),
            CaseStatisticsDimension.Status => ("d.status", ""),
            // Counts the case events of each type the caller may see.
            CaseStatisticsDimension.EventType => ("e->>'type'",
                $" cross join lateral jsonb_array_elements(d.data->'events') e"),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
        };
        if (dimension == CaseStatisticsDimension.EventType)
        {
            where += $" and e->>'confidentiality' = any({sql.Levels})";
        }

        sql.Text.Append($"select {key} as key, count(*) from {_table} d{from} where {where} group by 1 order by 2 desc, 1");
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = sql.Command(connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var buckets = new List<StatisticsBucket>();
        while (await reader.ReadAsync(ct))
        {
            buckets.Add(new StatisticsBucket(reader.GetString(0), reader.GetInt64(1)));
        }

        return buckets;
    }

    /// <summary>The counters know cases by country, year, status and level, nothing else.</summary>
    private static bool CountersCanAnswer(CaseStatisticsDimension dimension, CaseCriteria criteria) =>
        dimension != CaseStatisticsDimension.EventType && criteria.EventTypes.Count == 0 && criteria.VictimDefenderIds is null
        && string.IsNullOrWhiteSpace(criteria.Text) && criteria.OpenedFrom is null && criteria.OpenedTo is null;

    /// <summary>
    /// The statistics from <see cref="CaseStatisticsCounter"/>s, when the projection that keeps them
    /// has processed every event of the store; null (count live) while it lags behind. The check and
    /// the counts are one round trip.
    /// </summary>
    private async Task<IReadOnlyList<StatisticsBucket>?> FromCountersAsync(
        CaseStatisticsDimension dimension, CaseCriteria criteria, Confidentiality[] levels, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        var sql = new Sql(levels);
        var conditions = new List<string> { $"c.confidentiality = any({sql.Levels})" };
        if (criteria.Countries.Count > 0)
        {
            conditions.Add($"c.country_code = any({sql.Add(criteria.Countries.ToArray())})");
        }

        if (criteria.Statuses.Count > 0)
        {
            conditions.Add($"c.status = any({sql.Add(criteria.Statuses.Select(x => x.ToString()).ToArray())})");
        }

        var key = dimension switch
        {
            CaseStatisticsDimension.Country => "c.country_code",
            CaseStatisticsDimension.Year => "c.year::text",
            _ => "c.status",
        };
        // First row: whether the counters are up to date; then the buckets, largest first.
        sql.Text.Append(
            $"select * from (select 0 as part, (select coalesce(max(p.last_seq_id), 0) from {schema}.mt_event_progression p " +
            $"where p.name = {sql.Add(CaseStatisticsProjection.Name + ":All")}) >= (select coalesce(max(e.seq_id), 0) from {schema}.mt_events e) as fresh, " +
            $"null::text as key, 0::bigint as count " +
            $"union all select 1, null, {key}, sum(c.count)::bigint from {schema}.mt_doc_cases_statistics_counter c " +
            $"where {string.Join(" and ", conditions)} group by 3 having sum(c.count) > 0) t order by part, count desc, key");

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = sql.Command(connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || !reader.GetBoolean(1))
        {
            return null;
        }

        var buckets = new List<StatisticsBucket>();
        while (await reader.ReadAsync(ct))
        {
            buckets.Add(new StatisticsBucket(reader.GetString(2), reader.GetInt64(3)));
        }

        return buckets;
    }

    /// <summary>
    /// The conditions on the columns of <c>d</c> (a case document's row, or its list row) and, for what only the
    /// document holds (its timeline, victims, search text), on the document of <paramref name="document"/>.
    /// </summary>
    private static string Where(CaseCriteria criteria, Sql sql, string document = "d")
    {
        var conditions = new List<string> { $"d.confidentiality = any({sql.Levels})" };
        if (criteria.Countries.Count > 0)
        {
            conditions.Add($"d.country_code = any({sql.Add(criteria.Countries.ToArray())})");
        }

        if (criteria.Statuses.Count > 0)
        {
            conditions.Add($"d.status = any({sql.Add(criteria.Statuses.Select(s => s.ToString()).ToArray())})");
        }

        if (criteria.OpenedFrom is { } from)
        {
            conditions.Add($"d.opened_on >= {sql.Add(from)}");
        }

        if (criteria.OpenedTo is { } to)
        {
            conditions.Add($"d.opened_on <= {sql.Add(to)}");
        }

        if (criteria.EventTypes.Count > 0)
        {
            conditions.Add($"exists (select 1 from jsonb_array_elements({document}.data->'events') f where f->>'type' = any({
                sql.Add(criteria.EventTypes.Select(t => t.ToString()).ToArray())}) and f->>'confidentiality' = any({sql.Levels}))");
        }

        if (criteria.VictimDefenderIds is { } defenderIds)
        {
            conditions.Add($"exists (select 1 from jsonb_array_elements({document}.data->'victims') v where v->>'defenderId' = any({
                sql.Add(defenderIds.Select(id => id.ToString()).ToArray())}) and v->>'confidentiality' = any({sql.Levels}))");
        }

        if (!string.IsNullOrWhiteSpace(criteria.Text))
        {
            // The same expression as the full-text index Marten keeps on searchText (english configuration).
            var inText = $"to_tsvector('english'::regconfig, {document}.data ->> 'searchText') @@ websearch_to_tsquery('english'::regconfig, {sql.Add(criteria.Text)})";
            if (criteria.TextInFiles.Count > 0)
            {
                // Or a file of the case, of one of its events or of one of its victims matched (the files module checked the file and its record).
                var records = sql.Add(new NpgsqlParameter { Value = criteria.TextInFiles.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                var eventIds = sql.Add(criteria.TextInFiles.Select(i => i.ToString()).ToArray());
                inText = $"({inText} or d.id = any({records}) or exists (select 1 from jsonb_array_elements({document}.data->'events') g where g->>'id' = any({eventIds}))" +
                         $" or exists (select 1 from jsonb_array_elements({document}.data->'victims') v where v->>'id' = any({eventIds})))";
            }

            conditions.Add(inText);
        }

        return string.Join(" and ", conditions);
    }

    private async Task<object?> ScalarAsync(Sql sql, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = sql.Command(connection);
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>SQL text with positional parameters; values are always bound, never spliced into the text.</summary>
    private sealed class Sql
    {
        private readonly List<NpgsqlParameter> _parameters = [];

        public Sql(Confidentiality[] levels) => Levels = Add(levels.Select(l => l.ToString()).ToArray());

        public StringBuilder Text { get; } = new();

        /// <summary>The parameter holding the caller's visible levels, as stored.</summary>
        public string Levels { get; }

        public string Add(object value)
        {
            var parameter = value switch
            {
                NpgsqlParameter given => given,
                string[] strings => new NpgsqlParameter { Value = strings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar },
                _ => new NpgsqlParameter { Value = value },
            };
            _parameters.Add(parameter);
            return $"${_parameters.Count}";
        }

        public NpgsqlCommand Command(DbConnection connection)
        {
            var command = (NpgsqlCommand)connection.CreateCommand();
            command.CommandText = Text.ToString();
            command.Parameters.AddRange(_parameters.ToArray());
            return command;
        }
    }
}
