using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>
/// A database from before data keys were wrapped (each key in clear in its document): two hosts starting on it at the same
/// time wrap every key under the master key before they are ready, each key once, and the data still reads.
/// </summary>
public sealed class DataKeyWrappingTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Keys_stored_in_clear_are_wrapped_once_at_start_up_by_two_hosts_starting_together()
    {
        var admin = platform.Admin();
        var contacts = new Dictionary<string, string>();
        for (var i = 0; i < 40; i++)
        {
            var contact = $"legacy contact {i} {Guid.NewGuid():N}";
            var id = (await admin.QueryAsync("mutation($name: String!, $contact: String) { registerDefender(input: { name: $name, countryCode: \"BY\", confidentiality: STAFF, contact: $contact }) { defender { id } } }",
                new { name = $"Legacy {i}", contact })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
            contacts[id] = contact;
        }

        // Back to the shape of before: the data key in clear ("key"), no master key id.
        var masters = new LocalMasterKeys(Convert.FromBase64String(PlatformFactory.MasterKey), []);
        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            var stored = new List<(Guid Id, string MasterKeyId, byte[] Wrapped)>();
            await using (var read = new NpgsqlCommand("select id, master_key_id, decode(data ->> 'wrappedKey', 'base64') from omct.mt_doc_privacy_personal_data_key", connection))
            await using (var rows = await read.ExecuteReaderAsync())
            {
                while (await rows.ReadAsync())
                {
                    stored.Add((rows.GetGuid(0), rows.GetString(1), (byte[])rows[2]));
                }
            }

            Assert.Equal(40, stored.Count);
            foreach (var (id, masterKeyId, wrapped) in stored)
            {
                var raw = await masters.UnwrapAsync(id, new WrappedKey(masterKeyId, wrapped), CancellationToken.None);
                await using var write = new NpgsqlCommand(
                    "update omct.mt_doc_privacy_personal_data_key set master_key_id = null, " +
                    "data = jsonb_build_object('id', id, 'key', encode($2, 'base64'), 'createdAt', data -> 'createdAt') where id = $1", connection);
                write.Parameters.Add(new NpgsqlParameter { Value = id });
                write.Parameters.Add(new NpgsqlParameter { Value = raw, NpgsqlDbType = NpgsqlDbType.Bytea });
                await write.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal(40, await CountAsync("master_key_id is null and data ? 'key'"));
        // Still readable in that shape (a host that has not restarted yet).
        var first = contacts.First();
        var reader0 = platform.GraphQL(await admin.CreateApiKeyAsync("STAFF", "RESTRICTED"));
        Assert.Equal(first.Value, (await reader0.QueryAsync("query($id: ID!) { defender(id: $id) { contact } }", new { id = first.Key })).GetProperty("defender").GetProperty("contact").GetString());

        await using var one = new KeyedNode(platform.ConnectionString, PlatformFactory.MasterKey);
        await using var two = new KeyedNode(platform.ConnectionString, PlatformFactory.MasterKey);
        await Task.WhenAll(Task.Run(one.InitializeAsync), Task.Run(two.InitializeAsync));

        Assert.Equal(0, await CountAsync("master_key_id is null or data ->> 'key' is not null or data ->> 'wrappedKey' is null"));
        Assert.Equal(40, await CountAsync($"master_key_id = '{masters.CurrentKeyId}'"));
        // Each key wrapped by one host: the two hosts' counts add up to the keys.
        var wrappedByHosts = new[] { one, two }.SelectMany(n => n.Logs.Events)
            .Where(e => e.MessageTemplate.Text.StartsWith("Every data key stored in clear is now wrapped", StringComparison.Ordinal))
            .Sum(e => long.Parse(e.Properties["Count"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(40, wrappedByHosts);

        var reader = one.GraphQL(await one.Admin().CreateApiKeyAsync("STAFF", "RESTRICTED"));
        foreach (var (id, contact) in contacts)
        {
            Assert.Equal(contact, (await reader.QueryAsync("query($id: ID!) { defender(id: $id) { contact } }", new { id })).GetProperty("defender").GetProperty("contact").GetString());
        }

        // A third start finds nothing to do.
        await using var three = new KeyedNode(platform.ConnectionString, PlatformFactory.MasterKey);
        await three.InitializeAsync();
        Assert.DoesNotContain(three.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Wrapped {Done}", StringComparison.Ordinal));
    }

    private Task<long> CountAsync(string where) => DataKeyTable.CountAsync(platform.ConnectionString, where);
}
