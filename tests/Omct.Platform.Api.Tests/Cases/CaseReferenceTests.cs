using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>openCase with the case's original reference (a case from the archive): format, uniqueness, counters moved past it.</summary>
public sealed class CaseReferenceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Open =
        "mutation($title: String!, $country: CountryCode!, $openedOn: Date, $reference: String, $c: Confidentiality) { " +
        "openCase(input: { title: $title, countryCode: $country, openedOn: $openedOn, reference: $reference, confidentiality: $c }) { case { id reference } } }";

    private Task<GraphQLResponse> OpenAsync(GraphQLClient client, string title, string country, string openedOn, string? reference, string c = "PUBLIC") =>
        client.PostAsync(Open, new { title, country, openedOn, reference, c });

    private static string ReferenceOf(GraphQLResponse response) =>
        response.Errors.Count == 0
            ? response.Data.GetProperty("openCase").GetProperty("case").GetProperty("reference").GetString()!
            : throw new Xunit.Sdk.XunitException($"openCase failed: {response.ErrorCode} {response.Errors[0]}");

    [Fact]
    public async Task A_case_opened_with_CMR_001_0313_OBS_021_is_followed_by_CMR_002_and_an_appeal_number_past_021()
    {
        // This class's only cases of Cameroon and of 2013: the counters start empty.
        var original = await OpenAsync(platform.Admin(), "Cameroon 2013: Nasako Besingi (from the archive)", "CM", "2013-03-15", " CMR 001 / 0313 / OBS 021 ");
        Assert.Equal("CMR 001 / 0313 / OBS 021", ReferenceOf(original));

        var next = await OpenAsync(platform.Admin(), "Cameroon 2013: a new case", "CM", "2013-06-02", null);
        Assert.Equal("CMR 002 / 0613 / OBS 022", ReferenceOf(next));

        // An original reference below the counters moves them nowhere (never backwards).
        Assert.Equal("CMR 001 / 0513 / OBS 010", ReferenceOf(await OpenAsync(platform.Admin(), "Cameroon 2013: an older appeal", "CM", "2013-05-02", "CMR 001 / 0513 / OBS 010")));
        Assert.Equal("CMR 003 / 0713 / OBS 023", ReferenceOf(await OpenAsync(platform.Admin(), "Cameroon 2013: another new case", "CM", "2013-07-02", null)));

        var found = await platform.Admin().QueryAsync("query { caseByReference(reference: \"CMR 001 / 0313 / OBS 021\") { title openedOn } }");
        Assert.Equal("2013-03-15", found.GetProperty("caseByReference").GetProperty("openedOn").GetString());
    }

    [Fact]
    public async Task The_per_country_sequence_restarts_each_year_and_starts_past_the_references_a_year_already_has()
    {
        // Senegal (no other test of this class uses it): the first appeal of 2016 is SEN 001, though 2015 had three.
        foreach (var day in new[] { "2015-03-01", "2015-04-01", "2015-05-01" })
        {
            Assert.StartsWith("SEN 00", ReferenceOf(await OpenAsync(platform.Admin(), $"Senegal {day}", "SN", day, null)), StringComparison.Ordinal);
        }

        Assert.StartsWith("SEN 001 / 0616 / OBS ", ReferenceOf(await OpenAsync(platform.Admin(), "Senegal 2016: first", "SN", "2016-06-01", null)), StringComparison.Ordinal);
        Assert.StartsWith("SEN 002 / 0716 / OBS ", ReferenceOf(await OpenAsync(platform.Admin(), "Senegal 2016: second", "SN", "2016-07-01", null)), StringComparison.Ordinal);

        // A database whose counters were kept per country across years (before the sequence restarted each year): the counter
        // of the country and year starts past the references that year already has, so the next one never collides.
        await using (var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var before = new Npgsql.NpgsqlCommand(
                "delete from omct.cases_counters where key = 'country:SEN:2016'; insert into omct.cases_counters (key, last) values ('country:SEN', 5)", connection);
            Assert.Equal(2, await before.ExecuteNonQueryAsync());
        }

        Assert.StartsWith("SEN 003 / 0816 / OBS ", ReferenceOf(await OpenAsync(platform.Admin(), "Senegal 2016: third", "SN", "2016-08-01", null)), StringComparison.Ordinal);
        Assert.StartsWith("SEN 004 / 0515 / OBS ", ReferenceOf(await OpenAsync(platform.Admin(), "Senegal 2015: fourth", "SN", "2015-05-02", null)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CMR 1 / 0314 / OBS 021")]           // the format
    [InlineData("CMR 001 / 0314 / OBS 021.1")]       // a follow-up's reference is not a case's
    [InlineData("CMR 001/0314/OBS 021")]
    [InlineData("GHA 001 / 0314 / OBS 021")]         // not the case's country
    [InlineData("CMR 001 / 0414 / OBS 021")]         // not the opening month
    [InlineData("CMR 001 / 0315 / OBS 021")]         // not the opening year
    [InlineData("CMR 000 / 0314 / OBS 021")]
    public async Task A_bad_format_or_a_mismatched_country_or_month_is_VALIDATION_on_reference(string reference)
    {
        var refused = await OpenAsync(platform.Admin(), "Cameroon 2014: refused", "CM", "2014-03-10", reference);
        Assert.Equal(("VALIDATION", "reference"), (refused.ErrorCode, refused.ErrorField));
    }

    [Fact]
    public async Task A_duplicate_reference_is_a_CONFLICT_that_names_nothing_of_a_case_the_caller_may_not_see()
    {
        Assert.Equal("GHA 004 / 0115 / OBS 005", ReferenceOf(await OpenAsync(platform.Admin(), "Ghana 2015: visible", "GH", "2015-01-20", "GHA 004 / 0115 / OBS 005")));
        var visible = await OpenAsync(platform.Admin(), "Ghana 2015: again", "GH", "2015-01-21", "GHA 004 / 0115 / OBS 005");
        Assert.Equal("CONFLICT", visible.ErrorCode);

        Assert.Equal("GHA 005 / 0115 / OBS 006", ReferenceOf(
            await OpenAsync(platform.Admin(), "Ghana 2015: the secret one", "GH", "2015-01-22", "GHA 005 / 0115 / OBS 006", "RESTRICTED")));
        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        var hidden = await OpenAsync(staff, "Ghana 2015: a staff copy", "GH", "2015-01-23", "GHA 005 / 0115 / OBS 006", "STAFF");
        Assert.Equal("CONFLICT", hidden.ErrorCode);
        var message = hidden.Errors[0].GetProperty("message").GetString()!;
        Assert.Equal(visible.Errors[0].GetProperty("message").GetString(), message);
        Assert.DoesNotContain("secret", message, StringComparison.OrdinalIgnoreCase);

        // The refusal took no number from the next case of Ghana.
        Assert.Equal("GHA 006 / 0215 / OBS 007", ReferenceOf(await OpenAsync(platform.Admin(), "Ghana 2015: new", "GH", "2015-02-01", null)));
    }
}
