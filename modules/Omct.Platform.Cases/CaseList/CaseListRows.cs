using System.Data.Common;
using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Cases.CaseList;

/// <summary>
/// What a list shows of a case, one lean row per case (<c>cases_list</c>: id, keyset order, reference,
/// title, country, status, level, opening date and the victims with their own levels, ~0.3 KB against the
/// ~2 KB <c>Case</c> document), so the <c>cases</c> page reads and sends only that (see
/// <see cref="CaseSearch.ListPageAsync"/>).
/// <para>
/// Derived from the <c>Case</c> documents by triggers on their table, never written by anything else: the
/// inline <c>CaseProjection</c>'s upsert of a document changes its row in the same statement, so a write is
/// listed as it is read (also by a projection rebuild, which rewrites the documents, or an import), a deleted
/// or truncated document takes its row with it, and an update that changes none of the listed fields (a case
/// event recorded, an intervention) leaves the row alone. The table, the function and the triggers are
/// Weasel schema objects applied with the rest of the schema at start (<see cref="Feature"/>); when they are
/// created or changed, every row is (re)built from the documents in the same migration, so a database written
/// before the rows existed lists its cases at once.
/// </para>
/// </summary>
internal static class CaseListRows
{
    public const string TableName = "cases_list";
    public const string FunctionName = "cases_list_sync";
    private const string Documents = "mt_doc_cases_case";

    /// <summary>The triggers on the documents' table (their names start with <see cref="FunctionName"/>).</summary>
    private static readonly string[] Triggers = ["insert", "update", "delete", "truncate"];

    /// <summary>The listed fields of a document aliased <paramref name="d"/>, in the order of <see cref="Columns"/>.</summary>
    private static string Values(string d) =>
        $"{d}.id, {d}.order_key, {d}.data ->> 'reference', {d}.data ->> 'title', {d}.country_code, {d}.status, {d}.confidentiality, {d}.opened_on, " +
        $"coalesce({d}.data -> 'victims', '[]'::jsonb)";

    private const string Columns = "id, order_key, reference, title, country_code, status, confidentiality, opened_on, victims";

    private const string Upsert =
        " ON CONFLICT (id) DO UPDATE SET order_key = excluded.order_key, reference = excluded.reference, title = excluded.title, " +
        "country_code = excluded.country_code, status = excluded.status, confidentiality = excluded.confidentiality, " +
        "opened_on = excluded.opened_on, victims = excluded.victims";

    /// <summary>An update of a document changes its row only when one of the listed fields changed.</summary>
    private const string ListedFieldChanged =
        "old.order_key IS DISTINCT FROM new.order_key OR old.country_code IS DISTINCT FROM new.country_code OR old.status IS DISTINCT FROM new.status " +
        "OR old.confidentiality IS DISTINCT FROM new.confidentiality OR old.opened_on IS DISTINCT FROM new.opened_on " +
        "OR old.data -> 'reference' IS DISTINCT FROM new.data -> 'reference' OR old.data -> 'title' IS DISTINCT FROM new.data -> 'title' " +
        "OR old.data -> 'victims' IS DISTINCT FROM new.data -> 'victims'";

    public static Table Table(string schema)
    {
        // The two-part name is what Marten's own tables use; the newer overload only adds quoting rules.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<long>("order_key").NotNull();
        table.AddColumn("reference", "varchar").NotNull();
        table.AddColumn("title", "varchar").NotNull();
        table.AddColumn("country_code", "varchar").NotNull();
        table.AddColumn("status", "varchar").NotNull();
        table.AddColumn("confidentiality", "varchar").NotNull();
        table.AddColumn("opened_on", "date").NotNull();
        // [{id, defenderId, name, confidentiality}] as in the document; filtered by the caller's levels when read.
        table.AddColumn("victims", "jsonb").NotNull();
        // The keyset order of every page; a country or an opening period narrows it as on the documents' table.
        table.Indexes.Add(new IndexDefinition($"idx_{TableName}_order_key") { Columns = ["order_key"] });
        table.Indexes.Add(new IndexDefinition($"idx_{TableName}_country_code") { Columns = ["country_code", "order_key"] });
        table.Indexes.Add(new IndexDefinition($"idx_{TableName}_opened_on") { Columns = ["opened_on"] });
        return table;
    }

    /// <summary>
    /// The rows as a storage feature of their own: Marten creates custom features after the documents' tables,
    /// which the triggers need.
    /// </summary>
    public sealed class Feature(StoreOptions options) : FeatureSchemaBase("omct_cases_list", options.Advanced.Migrator)
    {
        public override Type StorageType => typeof(Feature);

        protected override IEnumerable<ISchemaObject> schemaObjects()
        {
            yield return Table(options.DatabaseSchemaName);
            yield return new SyncTriggers(options.DatabaseSchemaName);
        }
    }

    /// <summary>
    /// The function and the four triggers that keep the rows, compared with the catalog at each start: when the
    /// function is as written here (its source names the triggers' condition, so a change of either changes it) and
    /// the four triggers exist, nothing is done; otherwise they are (re)created and every row rebuilt, all idempotent.
    /// </summary>
    private sealed class SyncTriggers(string schema) : ISchemaObject, ISchemaObjectWithDependencies
    {
#pragma warning disable CS0618
        public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, FunctionName);

        public IEnumerable<DbObjectName> DependsOn =>
            [new PostgresqlObjectName(schema, Documents), new PostgresqlObjectName(schema, TableName)];
#pragma warning restore CS0618

        private string FunctionBody =>
            $"\n-- {FunctionName}_update fires when: {ListedFieldChanged}\nBEGIN\n" +
            $"  IF TG_OP = 'TRUNCATE' THEN\n    TRUNCATE {schema}.{TableName};\n" +
            $"  ELSIF TG_OP = 'DELETE' THEN\n    DELETE FROM {schema}.{TableName} WHERE id = old.id;\n" +
            $"  ELSE\n    INSERT INTO {schema}.{TableName} ({Columns}) SELECT {Values("new")}{Upsert};\n" +
            "  END IF;\n  RETURN NULL;\nEND\n";

        private IEnumerable<string> TriggerDefinitions()
        {
            var on = $"ON {schema}.{Documents}";
            var run = $"EXECUTE FUNCTION {schema}.{FunctionName}()";
            yield return $"CREATE TRIGGER {FunctionName}_insert AFTER INSERT {on} FOR EACH ROW {run}";
            yield return $"CREATE TRIGGER {FunctionName}_update AFTER UPDATE {on} FOR EACH ROW WHEN ({ListedFieldChanged}) {run}";
            yield return $"CREATE TRIGGER {FunctionName}_delete AFTER DELETE {on} FOR EACH ROW {run}";
            yield return $"CREATE TRIGGER {FunctionName}_truncate AFTER TRUNCATE {on} FOR EACH STATEMENT {run}";
        }

        public void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            writer.WriteLine($"CREATE OR REPLACE FUNCTION {schema}.{FunctionName}() RETURNS trigger LANGUAGE plpgsql AS $omct${FunctionBody}$omct$;");
            foreach (var trigger in Triggers)
            {
                writer.WriteLine($"DROP TRIGGER IF EXISTS {FunctionName}_{trigger} ON {schema}.{Documents};");
            }

            foreach (var definition in TriggerDefinitions())
            {
                writer.WriteLine(definition + ";");
            }

            // The rows of the documents written before (an upgrade) or while the triggers were not as they are now.
            writer.WriteLine($"DELETE FROM {schema}.{TableName} l WHERE NOT EXISTS (SELECT 1 FROM {schema}.{Documents} d WHERE d.id = l.id);");
            writer.WriteLine($"INSERT INTO {schema}.{TableName} ({Columns}) SELECT {Values("d")} FROM {schema}.{Documents} d{Upsert};");
        }

        public void WriteDropStatement(Migrator migrator, TextWriter writer)
        {
            foreach (var trigger in Triggers)
            {
                writer.WriteLine($"DROP TRIGGER IF EXISTS {FunctionName}_{trigger} ON {schema}.{Documents};");
            }

            writer.WriteLine($"DROP FUNCTION IF EXISTS {schema}.{FunctionName}();");
        }

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) => builder.Append(
            $"select p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = '{schema}' and p.proname = '{FunctionName}';\n" +
            $"select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace " +
            $"where n.nspname = '{schema}' and c.relname = '{Documents}' and t.tgname = any(array[{string.Join(", ", Triggers.Select(t => $"'{FunctionName}_{t}'"))}]);\n");

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
        {
            var function = await reader.ReadAsync(ct) ? reader.GetString(0) : null;
            await reader.NextResultAsync(ct);
            var triggers = await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0;
            var difference = (function, triggers) switch
            {
                (null, 0) => SchemaPatchDifference.Create,
                _ when function == FunctionBody && triggers == Triggers.Length => SchemaPatchDifference.None,
                _ => SchemaPatchDifference.Update,
            };
            return new Delta(this, difference);
        }

        public IEnumerable<DbObjectName> AllNames()
        {
            yield return Identifier;
        }

        private sealed class Delta(SyncTriggers triggers, SchemaPatchDifference difference) : ISchemaObjectDelta
        {
            public ISchemaObject SchemaObject => triggers;

            public SchemaPatchDifference Difference => difference;

            public void WriteUpdate(Migrator rules, TextWriter writer) => triggers.WriteCreateStatement(rules, writer);

            public void WriteRollback(Migrator rules, TextWriter writer) => triggers.WriteDropStatement(rules, writer);

            public void WriteRestorationOfPreviousState(Migrator rules, TextWriter writer) => triggers.WriteDropStatement(rules, writer);
        }
    }
}
