using System.Collections.Concurrent;
using Npgsql;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>A host on a shared database with master keys of its own (<c>Omct:Privacy</c>).</summary>
public sealed class KeyedNode(string connectionString, string masterKey, params string[] previous) : PlatformFactory(connectionString)
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Omct:Privacy:MasterKey"] = masterKey, ["Omct:Privacy:RewrapBatchSize"] = "5", ["Omct:Privacy:RewrapPause"] = "00:00:00.100",
            };
            for (var i = 0; i < previous.Length; i++)
            {
                settings[$"Omct:Privacy:PreviousMasterKeys:{i}"] = previous[i];
            }

            return settings;
        }
    }
}

/// <summary>
/// The master key rotates without downtime: a host given a new current key and the old one as retired re-wraps every
/// data key in the background while writers register defenders and set their details through GraphQL — no request
/// fails — and a host with the new key alone then reads every value. Keys stored in clear before wrapping existed are
/// wrapped at start-up, once, by two hosts starting together.
/// </summary>
public sealed class MasterKeyRotationTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string NewKey = "x0snAbbNETspcHwze7tvshXaAuVlySqA70Kz/xWeRwY=";
    private const string Details = "query($id: ID!) { defender(id: $id) { contact location family riskNotes } }";

    private static string IdOf(string key) => LocalMasterKeys.IdOf(Convert.FromBase64String(key));

    [Fact]
    public async Task Rotation_under_write_load_fails_no_request_and_leaves_every_key_under_the_new_master_key()
    {
        var written = new ConcurrentDictionary<string, string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            for (var i = 0; i < 30; i++)
            {
                var (id, contact) = await WriteAsync(platform.Admin(), $"before-{w}-{i}");
                written[id] = contact;
            }
        }));
        Assert.Equal(120, await CountAsync($"master_key_id = '{IdOf(PlatformFactory.MasterKey)}'"));

        var failures = new ConcurrentBag<string>();
        var duringRewrap = 0;
        await using (var rotated = new KeyedNode(platform.ConnectionString, NewKey, PlatformFactory.MasterKey))
        {
            await rotated.InitializeAsync();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var oldLeft = await CountAsync($"master_key_id = '{IdOf(PlatformFactory.MasterKey)}'");
                    try
                    {
                        var (id, contact) = await WriteAsync(rotated.Admin(), $"during-{w}-{i}");
                        written[id] = contact;
                        if (oldLeft > 0)
                        {
                            Interlocked.Increment(ref duringRewrap);
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Add(e.Message);
                    }
                }
            })).ToList();

            await Eventually.GetAsync(() => CountAsync($"master_key_id <> '{IdOf(NewKey)}' or master_key_id is null"), left => left == 0, TimeSpan.FromSeconds(120));
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.Empty(failures);
            Assert.True(duringRewrap >= 4, $"only {duringRewrap} writes while the re-wrap ran");
            Assert.Contains(rotated.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Re-wrap done", StringComparison.Ordinal));
            Assert.Contains(rotated.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Re-wrapped {Done}", StringComparison.Ordinal));
        }

        Assert.Equal(0, await CountAsync($"master_key_id <> '{IdOf(NewKey)}' or master_key_id is null"));
        Assert.Equal(written.Count, await CountAsync("true"));

        // The new key alone reads every value, written before and during the rotation.
        await using (var only = new KeyedNode(platform.ConnectionString, NewKey))
        {
            await only.InitializeAsync();
            var reader = only.GraphQL(await only.Admin().CreateApiKeyAsync("STAFF", "RESTRICTED"));
            foreach (var (id, contact) in written)
            {
                var read = (await reader.QueryAsync(Details, new { id })).GetProperty("defender");
                Assert.Equal(contact, read.GetProperty("contact").GetString());
                Assert.Equal("risk of " + contact, read.GetProperty("riskNotes").GetString());
            }
        }

        // The old key alone cannot read them: such a host does not start, and says which setting would let it.
        await using var stale = new KeyedNode(platform.ConnectionString, PlatformFactory.MasterKey);
        var refused = await Assert.ThrowsAnyAsync<Exception>(stale.InitializeAsync);
        Assert.Contains("Omct:Privacy:PreviousMasterKeys", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains(IdOf(NewKey), refused.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(string Id, string Contact)> WriteAsync(GraphQLClient client, string tag)
    {
        var contact = $"contact {tag} {Guid.NewGuid():N}";
        var id = (await client.QueryAsync("mutation($name: String!, $contact: String) { registerDefender(input: { name: $name, countryCode: \"BY\", confidentiality: STAFF, contact: $contact }) { defender { id } } }",
                new { name = $"Rotation {tag}", contact }))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await client.QueryAsync("mutation($id: ID!, $contact: String, $risk: String) { setConfidentialDetails(input: { defenderId: $id, contact: $contact, riskNotes: $risk }) { defender { id } } }",
            new { id, contact, risk = "risk of " + contact });
        return (id, contact);
    }

    private Task<long> CountAsync(string where) => DataKeyTable.CountAsync(platform.ConnectionString, where);
}

/// <summary>The data keys' table as the tests look at it.</summary>
internal static class DataKeyTable
{
    /// <summary>How many key documents match <paramref name="where"/> (SQL over the table's columns).</summary>
    public static async Task<long> CountAsync(string connectionString, string where)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from omct.mt_doc_privacy_personal_data_key where {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
