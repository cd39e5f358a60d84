using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>A host that loads the seed page's demo data on start, as <c>build/run.sh</c> does.</summary>
public sealed class SeededPlatformFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Omct:SeedDemoData"] = "true" };
}

/// <summary>The same, on an existing database (a restart or a second host).</summary>
public sealed class SeededPlatformNode(string connectionString) : PlatformFactory(connectionString)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Omct:SeedDemoData"] = "true" };
}

public sealed class CaseDemoDataTests(SeededPlatformFactory platform) : IClassFixture<SeededPlatformFactory>
{
    [Fact]
    public async Task The_seed_pages_cases_are_there_with_their_timelines()
    {
        var data = await platform.GraphQL().QueryAsync(
            "{ cases(orderBy: OPENED_ON_ASC) { totalCount nodes { reference title country { code } status victims { name defender { name situation } } events { type date } interventions { type reference } } } }");
        var cases = data.GetProperty("cases").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["BY", "CO", "CM"], cases.Select(c => c.GetProperty("country").GetProperty("code").GetString()));

        var belarus = cases[0];
        Assert.Contains("Ales Bialiatski", belarus.GetProperty("title").GetString());
        var conviction = belarus.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "CONVICTION");
        Assert.Equal("2011-11-24", conviction.GetProperty("date").GetString());
        // The RESTRICTED entry on detention conditions is not shown to the public.
        Assert.DoesNotContain(belarus.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "ILL_TREATMENT");
        Assert.Equal(["BLR 001 / 0811 / OBS 001", "BLR 001 / 0811 / OBS 001.1", "BLR 001 / 0811 / OBS 001.2"],
            belarus.GetProperty("interventions").EnumerateArray().Select(i => i.GetProperty("reference").GetString()));

        var cameroon = cases[2];
        Assert.Equal("CMR 001 / 0313 / OBS 001", cameroon.GetProperty("reference").GetString());
        // The four SEFE collaborators are known to the network only.
        var besingi = Assert.Single(cameroon.GetProperty("victims").EnumerateArray()).GetProperty("defender");
        Assert.Equal("Nasako Besingi", besingi.GetProperty("name").GetString());
        Assert.Equal("AT_LIBERTY", besingi.GetProperty("situation").GetString()); // arrested 2013-03-18, released the next day
        var bialiatski = Assert.Single(belarus.GetProperty("victims").EnumerateArray()).GetProperty("defender");
        Assert.Equal("DETAINED", bialiatski.GetProperty("situation").GetString());
        var staff = await platform.Admin().QueryAsync("query($r: String!) { caseByReference(reference: $r) { victims { name } } }",
            new { r = "CMR 001 / 0313 / OBS 001" });
        Assert.Equal(5, staff.GetProperty("caseByReference").GetProperty("victims").GetArrayLength());
    }

    [Fact]
    public async Task The_seed_pages_news_is_published_with_its_links()
    {
        var data = await platform.GraphQL().QueryAsync(
            "{ articleCount portraits: articles(filter: { kinds: [PORTRAIT] }) { nodes { title defenders { name } } } " +
            "belarus: article(slug: \"belarus-bialiatski-anniversary\") { kind countries { code } cases { reference } defenders { name situation } } " +
            "defenders(filter: { text: \"CIJP\" }) { nodes { name pseudonym } } }");
        Assert.Equal(11, data.GetProperty("articleCount").GetInt32());
        Assert.Equal(2, data.GetProperty("portraits").GetProperty("nodes").GetArrayLength());
        var belarus = data.GetProperty("belarus");
        Assert.Equal("PRESS_RELEASE", belarus.GetProperty("kind").GetString());
        Assert.Equal("BLR 001 / 0811 / OBS 001", belarus.GetProperty("cases")[0].GetProperty("reference").GetString());
        Assert.Equal("Ales Bialiatski", belarus.GetProperty("defenders")[0].GetProperty("name").GetString());
        // The CIJP member without consent appears to the public under her pseudonym only.
        var member = Assert.Single(data.GetProperty("defenders").GetProperty("nodes").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, member.GetProperty("name").ValueKind);
        Assert.Equal("CIJP accompanier", member.GetProperty("pseudonym").GetString());
    }

    [Fact]
    public async Task The_seed_pages_submissions_and_call_for_input_are_there()
    {
        var data = await platform.Admin().QueryAsync(
            "{ submissions { nodes { mechanism title session status wordCount wordLimit coSignatories { name } } } callsForInput { nodes { title audience { code } status } } }");
        var submissions = data.GetProperty("submissions").GetProperty("nodes").EnumerateArray().ToList();
        var colombia = submissions.Single(s => s.GetProperty("mechanism").GetString() == "UPR");
        Assert.Contains("16th session", colombia.GetProperty("session").GetString(), StringComparison.Ordinal);
        Assert.Equal(("DRAFTING", 5630), (colombia.GetProperty("status").GetString(), colombia.GetProperty("wordLimit").GetInt32()));
        Assert.Single(colombia.GetProperty("coSignatories").EnumerateArray());
        Assert.Contains(submissions, s => s.GetProperty("mechanism").GetString() == "CAT");
        var call = Assert.Single(data.GetProperty("callsForInput").GetProperty("nodes").EnumerateArray());
        Assert.Contains("women human rights defenders in Africa", call.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeding_again_on_the_same_database_writes_nothing()
    {
        var before = await EventCountAsync(platform);
        await using var again = new SeededPlatformNode(platform.ConnectionString);
        await again.InitializeAsync();
        Assert.Equal(before, await EventCountAsync(again));
    }

    private static async Task<long> EventCountAsync(PlatformFactory host)
    {
        await using var connection = new Npgsql.NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from omct.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
