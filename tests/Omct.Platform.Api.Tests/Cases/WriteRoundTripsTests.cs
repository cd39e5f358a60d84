using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// The SQL commands (each one round trip to PostgreSQL; the COMMIT of the save is one more, not traced) a mutation through
/// StreamCommands sends: the stream, its write model and the documents its inline projections keep, read in one batch; the
/// events, the projections and the receipt saved in another — nothing read back, nothing loaded again while saving.
/// </summary>
public sealed class WriteRoundTripsTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Record =
        "mutation($id: ID!, $v: Int, $m: String) { recordCaseEvent(input: { caseId: $id, type: THREAT, date: \"2013-01-02\", expectedVersion: $v, clientMutationId: $m }) { case { id version events { date } } } }";

    [Fact]
    public async Task RecordCaseEvent_reads_the_case_in_one_batch_and_saves_in_another()
    {
        var id = await OpenCaseAsync("Peru: two round trips");
        await platform.Admin().QueryAsync(Record, new { id, v = (int?)null, m = (string?)null }); // first use of each statement in the process

        var (response, commands) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, Record, new { id, v = (int?)null, m = (string?)null });

        // The answer is the case as the save left it (read-your-own-write), though it is not read back.
        var recorded = response.Data.GetProperty("recordCaseEvent").GetProperty("case");
        Assert.Equal(3, recorded.GetProperty("version").GetInt32());
        Assert.Equal(2, recorded.GetProperty("events").GetArrayLength());
        Assert.True(commands.Count == 2, Describe(commands));
        Assert.All(["from omct.mt_events", "from omct.mt_doc_cases_case", "from omct.mt_doc_cases_anniversaries"], read => Assert.Contains(read, commands[0]));
        Assert.Contains("mt_quick_append_events", commands[1]);
        Assert.DoesNotContain("select d.", commands[1]);
    }

    [Fact]
    public async Task RecordCaseEvent_with_a_clientMutationId_and_an_expectedVersion_takes_its_receipt_in_the_same_two()
    {
        var id = await OpenCaseAsync("Peru: a receipt");
        await platform.Admin().QueryAsync(Record, new { id, v = 1, m = "warm-up" });

        var (response, commands) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, Record, new { id, v = 2, m = "counted" });
        var (repeat, repeated) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, Record, new { id, v = 2, m = "counted" });

        Assert.Equal(3, response.Data.GetProperty("recordCaseEvent").GetProperty("case").GetProperty("version").GetInt32());
        // The receipt's lock and look-up come first in the batch that reads the case; the receipt is saved with the events.
        Assert.True(commands.Count == 2, Describe(commands));
        Assert.All(["pg_advisory_xact_lock", "from omct.mutation_receipts", "from omct.mt_doc_cases_case"], read => Assert.Contains(read, commands[0]));
        Assert.True(commands[0].IndexOf("pg_advisory_xact_lock", StringComparison.Ordinal) < commands[0].IndexOf("from omct.mutation_receipts", StringComparison.Ordinal));
        Assert.Contains("insert into omct.mutation_receipts", commands[1]);
        // A repeat (even with the expectedVersion it had) answers the case as it is, reading and writing nothing more.
        Assert.Equal(3, repeat.Data.GetProperty("recordCaseEvent").GetProperty("case").GetProperty("version").GetInt32());
        Assert.True(repeated.Count == 1, Describe(repeated));
    }

    [Fact]
    public async Task Another_modules_mutation_through_the_same_path_takes_two_round_trips_too()
    {
        var org = (await platform.Admin().QueryAsync(
                "mutation { registerOrganisation(input: { name: \"Round Trip NGO\", countryCode: \"PE\", networkMember: false, confidentiality: PUBLIC }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString();
        const string update = "mutation($id: ID!, $n: String) { updateOrganisation(input: { organisationId: $id, name: $n }) { organisation { name version } } }";
        await platform.Admin().QueryAsync(update, new { id = org, n = "Round Trip NGO 1" });

        var (response, commands) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, update, new { id = org, n = "Round Trip NGO 2" });

        var updated = response.Data.GetProperty("updateOrganisation").GetProperty("organisation");
        Assert.Equal("Round Trip NGO 2", updated.GetProperty("name").GetString());
        Assert.Equal(3, updated.GetProperty("version").GetInt32());
        Assert.True(commands.Count == 2, Describe(commands));
        Assert.Contains("from omct.mt_doc_defenders_organisation", commands[0]);
        // No other module's inline projection loads a document of its own for this stream (the defenders' did, for every stream).
        Assert.DoesNotContain("mt_doc_defenders_defender", string.Join("\n", commands));
    }

    private async Task<string> OpenCaseAsync(string title) =>
        (await platform.Admin().QueryAsync("mutation($t: String!) { openCase(input: { title: $t, countryCode: \"PE\", confidentiality: PUBLIC }) { case { id } } }", new { t = title }))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private static string Describe(IReadOnlyList<string> commands) => $"{commands.Count} commands:\n{string.Join("\n--\n", commands)}";
}
