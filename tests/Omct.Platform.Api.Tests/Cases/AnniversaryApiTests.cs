using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary><c>anniversaries(from, to, filter)</c> over the seed page's cases (Ales Bialiatski: arrested 2011-08-04, convicted and sentenced 2011-11-24).</summary>
public sealed class AnniversaryApiTests(SeededPlatformFactory platform) : IClassFixture<SeededPlatformFactory>
{
    private const string Query = "query($from: Date!, $to: Date!, $filter: CaseFilter) { anniversaries(from: $from, to: $to, filter: $filter) { " +
                                 "date kind years days confidentiality case { reference } caseEvent { type date } victim { defender { name } } } }";

    [Fact]
    public async Task The_first_anniversary_of_Ales_Bialiatskis_conviction_is_on_24_November_2012()
    {
        var list = await AnniversariesAsync(platform.GraphQL(), "2012-11-01", "2012-11-30");
        var conviction = Assert.Single(list, a => a.GetProperty("caseEvent").GetProperty("type").GetString() == "CONVICTION");
        Assert.Equal(("2012-11-24", "YEARLY", 1), (conviction.GetProperty("date").GetString(), conviction.GetProperty("kind").GetString(), conviction.GetProperty("years").GetInt32()));
        Assert.Equal("BLR 001 / 0811 / OBS 001", conviction.GetProperty("case").GetProperty("reference").GetString());
        Assert.Equal(JsonValueKind.Null, conviction.GetProperty("victim").ValueKind);
        Assert.Equal(JsonValueKind.Null, conviction.GetProperty("days").ValueKind);
        Assert.Contains(list, a => a.GetProperty("caseEvent").GetProperty("type").GetString() == "SENTENCING");
    }

    [Fact]
    public async Task First_gives_the_earliest_anniversaries_and_the_count_tells_how_many_there_are_in_all()
    {
        const string window = "from: \"2012-11-01\", to: \"2013-01-31\"";
        var data = await platform.GraphQL().QueryAsync(
            $"{{ all: anniversaries({window}) {{ date caseEvent {{ id }} }} two: anniversaries({window}, first: 2) {{ date caseEvent {{ id }} }} " +
            $"none: anniversaries({window}, first: 0) {{ date }} anniversaryCount({window}) }}");
        var all = data.GetProperty("all").EnumerateArray().Select(a => a.GetProperty("date").GetString() + a.GetProperty("caseEvent").GetProperty("id").GetString()).ToList();
        Assert.True(all.Count > 2, $"the window has {all.Count} anniversaries");
        Assert.Equal(all.Count, data.GetProperty("anniversaryCount").GetInt32());
        Assert.Equal(all.Take(2), data.GetProperty("two").EnumerateArray().Select(a => a.GetProperty("date").GetString() + a.GetProperty("caseEvent").GetProperty("id").GetString()));
        Assert.Equal(0, data.GetProperty("none").GetArrayLength());

        var refused = await platform.GraphQL().PostAsync($"{{ anniversaries({window}, first: -1) {{ date }} }}");
        Assert.Equal("VALIDATION", refused.ErrorCode);
        Assert.Equal("first", refused.Errors[0].GetProperty("extensions").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Ales_Bialiatskis_500th_day_in_detention_is_a_milestone_of_the_victim()
    {
        var list = await AnniversariesAsync(platform.GraphQL(), "2012-12-01", "2012-12-31");
        var milestone = Assert.Single(list);
        Assert.Equal(("2012-12-16", "DETENTION_DAYS", 500), (milestone.GetProperty("date").GetString(), milestone.GetProperty("kind").GetString(), milestone.GetProperty("days").GetInt32()));
        Assert.Equal("Ales Bialiatski", milestone.GetProperty("victim").GetProperty("defender").GetProperty("name").GetString());
        Assert.Equal(("ARREST", "2011-08-04"), (milestone.GetProperty("caseEvent").GetProperty("type").GetString(), milestone.GetProperty("caseEvent").GetProperty("date").GetString()));
        // Nasako Besingi was released the day after his arrest: no milestone for him or the SEFE collaborators.
        Assert.DoesNotContain(await AnniversariesAsync(platform.Admin(), "2013-06-01", "2013-07-31"), a => a.GetProperty("kind").GetString() == "DETENTION_DAYS");
    }

    [Fact]
    public async Task The_case_filter_of_the_list_applies()
    {
        Assert.Empty(await AnniversariesAsync(platform.GraphQL(), "2012-11-01", "2012-11-30", new { countries = new[] { "CO" } }));
        Assert.Empty(await AnniversariesAsync(platform.GraphQL(), "2012-11-01", "2012-11-30", new { statuses = new[] { "CLOSED" } }));
        Assert.Equal(2, (await AnniversariesAsync(platform.GraphQL(), "2012-11-01", "2012-11-30", new { countries = new[] { "BY" }, text = "Viasna" })).Count);
        // Cameroon 2014-03-18: the arrest of everyone (PUBLIC) is shown to the public with its public victims only.
        var cameroon = await AnniversariesAsync(platform.GraphQL(), "2014-03-18", "2014-03-18", new { eventTypes = new[] { "ARREST" } });
        Assert.Equal("CMR 001 / 0313 / OBS 001", Assert.Single(cameroon).GetProperty("case").GetProperty("reference").GetString());
    }

    [Theory]
    [InlineData("2012-11-30", "2012-11-01")]
    [InlineData("2012-01-01", "2013-01-02")]
    public async Task A_window_backwards_or_longer_than_366_days_is_refused_naming_to(string from, string to)
    {
        var response = await platform.GraphQL().PostAsync(Query, new { from, to });
        Assert.Equal(("VALIDATION", "to"), (response.ErrorCode, response.ErrorField));
    }

    [Fact]
    public async Task A_full_year_is_allowed()
    {
        var year = await AnniversariesAsync(platform.GraphQL(), "2013-01-01", "2013-12-31");
        Assert.Contains(year, a => a.GetProperty("date").GetString() == "2013-11-24" && a.GetProperty("years").GetInt32() == 2);
        Assert.Equal(year.Select(a => a.GetProperty("date").GetString()).Order(StringComparer.Ordinal), year.Select(a => a.GetProperty("date").GetString()));
    }

    [Theory]
    [InlineData("9991-01-01", "9991-12-31", "from")] // took 3 s (two million detention starts looked for)
    [InlineData("9999-12-01", "9999-12-31", "from")] // was INTERNAL (the day after 9999-12-31)
    [InlineData("1899-12-31", "1900-01-31", "from")]
    [InlineData("1850-01-01", "1850-01-31", "from")]
    [InlineData("LATEST-12-01", "NEXT-01-05", "to")]
    public async Task Years_outside_1900_to_ten_years_ahead_are_refused_naming_the_argument(string from, string to, string field)
    {
        var latest = DateTime.UtcNow.Year + 10;
        string Year(string date) => date.Replace("LATEST", $"{latest}", StringComparison.Ordinal).Replace("NEXT", $"{latest + 1}", StringComparison.Ordinal);
        var response = await platform.GraphQL().PostAsync(Query, new { from = Year(from), to = Year(to) });
        Assert.Equal(("VALIDATION", field), (response.ErrorCode, response.ErrorField));
        Assert.Contains("1900-01-01", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_and_last_allowed_years_answer()
    {
        var latest = DateTime.UtcNow.Year + 10;
        Assert.Empty(await AnniversariesAsync(platform.GraphQL(), "1900-01-01", "1900-12-31"));
        // Ales Bialiatski's conviction (2011-11-24) has its anniversary in the last allowed year too.
        var last = await AnniversariesAsync(platform.GraphQL(), $"{latest}-01-01", $"{latest}-12-31");
        Assert.Contains(last, a => a.GetProperty("date").GetString() == $"{latest}-11-24" && a.GetProperty("years").GetInt32() == latest - 2011);
    }

    [Fact]
    public async Task A_window_costs_its_days_in_the_complexity_budget_and_eight_full_years_are_refused_before_work()
    {
        static string Aliases(int n, string from, string to) =>
            "{ " + string.Join(" ", Enumerable.Range(0, n).Select(i =>
                $"a{i}: anniversaries(from: \"{from}\", to: \"{to}\") {{ date kind years days case {{ reference title status openedOn }} caseEvent {{ type date }} victim {{ name }} }}")) + " }";

        // Twenty one-day windows are answered; twenty full years are refused before any work (they were 1,420 in the
        // budget, as twenty scalars and their selections; now each day of a window counts).
        Assert.False((await platform.GraphQL().PostAsync(Aliases(20, "2013-11-24", "2013-11-24"))).HasErrors);
        var wide = await platform.GraphQL().PostAsync(Aliases(20, "2013-01-01", "2013-12-31"));
        Assert.Equal("LIMIT_EXCEEDED", wide.ErrorCode);
        Assert.False(wide.HasData && wide.Data.ValueKind == JsonValueKind.Object);

        // Two full years in the last allowed year fit the budget; eight (each ~5 s on 100,000 cases) are refused before any work.
        var latest = DateTime.UtcNow.Year + 10;
        var two = await platform.GraphQL().PostAsync(Aliases(2, $"{latest}-01-01", $"{latest}-12-31"));
        Assert.False(two.HasErrors, two.ToString());
        Assert.Contains($"{latest}-11-24", two.Raw, StringComparison.Ordinal);
        var eight = await platform.GraphQL().PostAsync(Aliases(8, $"{latest}-01-01", $"{latest}-12-31"));
        Assert.Equal("LIMIT_EXCEEDED", eight.ErrorCode);
        Assert.False(eight.HasData && eight.Data.ValueKind == JsonValueKind.Object);
    }

    private static async Task<List<JsonElement>> AnniversariesAsync(GraphQLClient client, string from, string to, object? filter = null) =>
        (await client.QueryAsync(Query, new { from, to, filter })).GetProperty("anniversaries").EnumerateArray().ToList();
}
