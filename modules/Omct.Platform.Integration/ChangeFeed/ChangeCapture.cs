using System.Data.Common;
using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Integration.ChangeFeed;

/// <summary>
/// Records, for every row inserted into Marten's <c>mt_events</c>, the 64-bit id of the
/// transaction that inserted it (<c>change_transactions(seq_id, tx)</c>), so the feed can tell
/// which events a snapshot sees: sequence numbers are handed out when a transaction inserts, not
/// when it commits, so "everything up to the highest sequence" skips events that commit late.
/// <para>
/// A side table rather than a column on <c>mt_events</c>: Weasel drops columns of a Marten table
/// it does not know when it applies the schema at start. The table, the function and the
/// statement-level trigger (one insert per statement, from the transition table) are Weasel
/// schema objects created with the rest of the schema (<see cref="Feature"/>), on a new database and an existing one;
/// events written before the capture existed are recorded as written by a transaction every
/// snapshot sees (see <see cref="CaptureTrigger"/>).
/// </para>
/// </summary>
internal static class ChangeCapture
{
    public const string TableName = "change_transactions";
    public const string FunctionName = "change_feed_capture";
    public const string TriggerName = "omct_change_feed_capture";

    /// <summary>The id recorded for events older than the capture: the first normal transaction id, below every snapshot's xmin.</summary>
    public const ulong BeforeCaptureXid = 3;

    public static IEnumerable<ISchemaObject> SchemaObjects(string schema)
    {
        yield return Table(schema);
        yield return new CaptureTrigger(schema);
    }

    /// <summary>
    /// The capture as a storage feature of its own: Marten creates custom features after the event
    /// store's tables (the trigger needs <c>mt_events</c>), while <c>ExtendedSchemaObjects</c> are
    /// created before them and would fail on a new database.
    /// </summary>
    public sealed class Feature(StoreOptions options) : FeatureSchemaBase("omct_change_capture", options.Advanced.Migrator)
    {
        public override Type StorageType => typeof(Feature);

        protected override IEnumerable<ISchemaObject> schemaObjects() => SchemaObjects(options.DatabaseSchemaName);
    }

    public static Table Table(string schema)
    {
        // The two-part name is what Marten's own tables use; the newer overload only adds quoting rules.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn("seq_id", "bigint").AsPrimaryKey();
        table.AddColumn("tx", "xid8").NotNull();
        // A bucket of the feed is a range of transaction ids (xmin of the older snapshot up to xmax of the newer).
        table.Indexes.Add(new IndexDefinition($"idx_{TableName}_tx") { Columns = ["tx"] });
        return table;
    }
}

/// <summary>
/// The capture function and the <c>AFTER INSERT … FOR EACH STATEMENT</c> trigger on
/// <c>mt_events</c> that calls it. Compared with the catalog at each start: when both are as
/// written here nothing is done, so Weasel leaves the trigger alone; otherwise the function is
/// replaced, the trigger recreated and events without a recorded transaction back-filled, all
/// idempotent.
/// </summary>
internal sealed class CaptureTrigger(string schema) : ISchemaObject, ISchemaObjectWithDependencies
{
#pragma warning disable CS0618
    public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, ChangeCapture.FunctionName);
#pragma warning restore CS0618

    private string FunctionBody =>
        // ON CONFLICT: should the event data ever be reset (its sequence restarting), a number used again takes its new
        // transaction instead of failing the append on a row of an event that no longer exists.
        $"\nBEGIN\n  INSERT INTO {schema}.{ChangeCapture.TableName} (seq_id, tx) SELECT seq_id, pg_current_xact_id() FROM new_rows\n" +
        "    ON CONFLICT (seq_id) DO UPDATE SET tx = excluded.tx;\n  RETURN NULL;\nEND\n";

    private string TriggerDefinition =>
        $"CREATE TRIGGER {ChangeCapture.TriggerName} AFTER INSERT ON {schema}.mt_events REFERENCING NEW TABLE AS new_rows " +
        $"FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{ChangeCapture.FunctionName}()";

#pragma warning disable CS0618
    public IEnumerable<DbObjectName> DependsOn =>
        [new PostgresqlObjectName(schema, "mt_events"), new PostgresqlObjectName(schema, ChangeCapture.TableName)];
#pragma warning restore CS0618

    public void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        writer.WriteLine($"CREATE OR REPLACE FUNCTION {schema}.{ChangeCapture.FunctionName}() RETURNS trigger LANGUAGE plpgsql AS $omct${FunctionBody}$omct$;");
        writer.WriteLine($"DROP TRIGGER IF EXISTS {ChangeCapture.TriggerName} ON {schema}.mt_events;");
        writer.WriteLine(TriggerDefinition + ";");
        writer.WriteLine($"INSERT INTO {schema}.{ChangeCapture.TableName} (seq_id, tx) SELECT seq_id, '{ChangeCapture.BeforeCaptureXid}'::xid8 " +
                         $"FROM {schema}.mt_events ON CONFLICT (seq_id) DO NOTHING;");
    }

    public void WriteDropStatement(Migrator migrator, TextWriter writer)
    {
        writer.WriteLine($"DROP TRIGGER IF EXISTS {ChangeCapture.TriggerName} ON {schema}.mt_events;");
        writer.WriteLine($"DROP FUNCTION IF EXISTS {schema}.{ChangeCapture.FunctionName}();");
    }

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder)
    {
        builder.Append(
            $"select p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = '{schema}' and p.proname = '{ChangeCapture.FunctionName}';\n" +
            $"select pg_get_triggerdef(t.oid) from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace " +
            $"where n.nspname = '{schema}' and c.relname = 'mt_events' and t.tgname = '{ChangeCapture.TriggerName}';\n");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        var function = await reader.ReadAsync(ct) ? reader.GetString(0) : null;
        await reader.NextResultAsync(ct);
        var trigger = await reader.ReadAsync(ct) ? reader.GetString(0) : null;
        var difference = (function, trigger) switch
        {
            (null, null) => SchemaPatchDifference.Create,
            _ when function == FunctionBody && Normalize(trigger) == Normalize(TriggerDefinition) => SchemaPatchDifference.None,
            _ => SchemaPatchDifference.Update,
        };
        return new Delta(this, difference);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }

    private static string Normalize(string? sql) => string.Join(' ', (sql ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private sealed class Delta(CaptureTrigger trigger, SchemaPatchDifference difference) : ISchemaObjectDelta
    {
        public ISchemaObject SchemaObject => trigger;

        public SchemaPatchDifference Difference => difference;

        public void WriteUpdate(Migrator rules, TextWriter writer) => trigger.WriteCreateStatement(rules, writer);

        public void WriteRollback(Migrator rules, TextWriter writer) => trigger.WriteDropStatement(rules, writer);

        public void WriteRestorationOfPreviousState(Migrator rules, TextWriter writer) => trigger.WriteDropStatement(rules, writer);
    }
}
