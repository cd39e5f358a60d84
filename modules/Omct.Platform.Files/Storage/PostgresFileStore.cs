using Marten;
using Omct.Platform.BuildingBlocks.Storage;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Files.Storage;

/// <summary>
/// The files in the platform's own database (one database to back up): table <c>files_chunk</c>, one row per chunk of
/// at most 1 MiB, each sealed by <see cref="FileKeys"/> (AES-256-GCM under the file's key, a fresh nonce per write, the
/// file id and chunk index as associated data). Destroying the key (<see cref="DestroyKeyAsync"/>) makes every stored
/// chunk, and every copy of it in a backup, unreadable. Scoped, with its <see cref="FileKeys"/>.
/// </summary>
internal sealed class PostgresFileStore(IDocumentStore store, FileKeys keys) : IFileStore
{
    public const string TableName = "files_chunk";

    private string Table => $"{store.Options.DatabaseSchemaName}.{TableName}";

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static Weasel.Core.ISchemaObject SchemaObject(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("file_id").AsPrimaryKey();
        table.AddColumn<int>("chunk_index").AsPrimaryKey();
        table.AddColumn("nonce", "bytea").NotNull();
        table.AddColumn("sealed", "bytea").NotNull();
        return table;
    }

    public Task CreateAsync(Guid fileId, CancellationToken ct) => keys.CreateAsync(fileId, ct);

    public async Task WriteChunkAsync(Guid fileId, int index, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var (nonce, sealedBytes) = await keys.SealAsync(fileId, index, content, ct);
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql(
                $"insert into {Table} (file_id, chunk_index, nonce, sealed) values (@file, @index, @nonce, @sealed) " +
                "on conflict (file_id, chunk_index) do update set nonce = excluded.nonce, sealed = excluded.sealed")
            .Bind("file", fileId).Bind("index", index).Bind("nonce", nonce).Bind("sealed", sealedBytes);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<byte[]?> ReadChunkAsync(Guid fileId, int index, CancellationToken ct)
    {
        byte[] nonce, sealedBytes;
        await using (var connection = await store.OpenConnectionAsync(ct))
        {
            await using var command = connection.Sql($"select nonce, sealed from {Table} where file_id = @file and chunk_index = @index")
                .Bind("file", fileId).Bind("index", index);
            var row = await command.ReadFirstAsync(r => ((byte[])r[0], (byte[])r[1]), ct);
            if (row == default)
            {
                return null;
            }

            (nonce, sealedBytes) = row;
        }

        return await keys.OpenAsync(fileId, index, nonce, sealedBytes, ct);
    }

    public async Task DeleteAsync(Guid fileId, CancellationToken ct)
    {
        await using (var connection = await store.OpenConnectionAsync(ct))
        {
            await using var command = connection.Sql($"delete from {Table} where file_id = @file").Bind("file", fileId);
            await command.ExecuteNonQueryAsync(ct);
        }

        await DestroyKeyAsync(fileId, ct);
    }

    public Task DestroyKeyAsync(Guid fileId, CancellationToken ct) => keys.DestroyAsync(fileId, ct);
}
