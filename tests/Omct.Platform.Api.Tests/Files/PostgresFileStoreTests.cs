using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Files;

/// <summary><see cref="FileStoreTests{TFactory}"/> over the default backend: the chunks in table <c>files_chunk</c>.</summary>
public sealed class PostgresFileStoreTests(PlatformFactory platform) : FileStoreTests<PlatformFactory>(platform)
{
    private string Table => $"{Platform.Services.GetRequiredService<IDocumentStore>().Options.DatabaseSchemaName}.files_chunk";

    protected override async Task FlipBitAsync(Guid fileId, int index) =>
        Xunit.Assert.Equal(1, await SqlAsync($"update {Table} set sealed = set_byte(sealed, 1000, get_byte(sealed, 1000) # 1) where file_id = @id and chunk_index = {index}", fileId));

    protected override async Task SwapAsync(Guid fileId, int a, int b) =>
        Xunit.Assert.Equal(2, await SqlAsync($"update {Table} c set nonce = o.nonce, sealed = o.sealed from {Table} o " +
                                             $"where c.file_id = @id and o.file_id = @id and c.chunk_index + o.chunk_index = {a + b} and c.chunk_index in ({a}, {b}) and c.chunk_index <> o.chunk_index", fileId));

    protected override async Task<int> StoredChunksAsync(Guid fileId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {Table} where file_id = @id", connection);
        command.Parameters.AddWithValue("id", fileId);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> SqlAsync(string sql, Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync();
    }
}
