using JasperFx.Events;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Anniversaries;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Xunit;

namespace Omct.Platform.Cases.Tests;

/// <summary>The anniversary rules of domain.md, on the read model the projection keeps, without a database.</summary>
public sealed class AnniversaryRulesTests
{
    private readonly Guid _victim = Guid.NewGuid();
    private int _version = 1;
    private CaseAnniversaries _case;

    public AnniversaryRulesTests()
    {
        _case = CaseAnniversariesProjection.Create(new CaseOpened(Guid.NewGuid(), 1, "BLR 001 / 0811 / OBS 001", "Belarus", "BY", null, Confidentiality.Public, new DateOnly(2011, 8, 5)));
        _case = CaseAnniversariesProjection.Apply(new VictimAdded(_victim, null, "Ales Bialiatski", Confidentiality.Public), _case);
    }

    [Fact]
    public void Ales_Bialiatskis_conviction_has_its_first_anniversary_on_24_November_2012_and_then_every_year()
    {
        var conviction = Record(CaseEventType.Conviction, "2011-11-24");

        var first = Assert.Single(Between("2012-11-01", "2012-11-30"));
        Assert.Equal((new DateOnly(2012, 11, 24), AnniversaryKind.Yearly, 1, conviction, (Guid?)null), (first.Date, first.Kind, first.Years, first.Key.CaseEventId, first.Key.VictimId));
        Assert.Equal([1, 2, 3], Between("2012-01-01", "2014-12-31").Select(o => o.Years!.Value));
        Assert.Empty(Between("2011-11-24", "2011-11-30")); // the event itself is not its anniversary
    }

    [Fact]
    public void Every_type_with_anniversaries_has_them_and_the_others_do_not()
    {
        foreach (var type in Enum.GetValues<CaseEventType>())
        {
            var c = CaseAnniversariesProjection.Create(new CaseOpened(Guid.NewGuid(), 1, "R", "T", "BY", null, Confidentiality.Public, new DateOnly(2011, 1, 1)));
            c = CaseAnniversariesProjection.Apply(Event(new CaseEventRecorded(Guid.NewGuid(), type, PartialDate.Parse("2011-03-15"), [], null, null, null, Confidentiality.Public)), c);
            var yearly = AnniversaryRules.Between(c, new DateOnly(2012, 3, 15), new DateOnly(2012, 3, 15), Confidentiality.Restricted).ToList();
            var expected = type is CaseEventType.Arrest or CaseEventType.Detention or CaseEventType.Conviction or CaseEventType.Sentencing
                or CaseEventType.Disappearance or CaseEventType.Killing or CaseEventType.Torture;
            Assert.True(expected == (yearly.Count == 1), $"{type}: {yearly.Count} anniversaries");
        }
    }

    [Fact]
    public void An_arrest_on_29_February_recurs_on_28_February_in_common_years_and_on_29_February_in_leap_years()
    {
        Record(CaseEventType.Arrest, "2012-02-29", victims: []);

        Assert.Equal(new DateOnly(2013, 2, 28), Assert.Single(Between("2013-02-01", "2013-03-31")).Date);
        Assert.Equal([new DateOnly(2013, 2, 28), new DateOnly(2014, 2, 28), new DateOnly(2015, 2, 28), new DateOnly(2016, 2, 29)],
            Between("2013-01-01", "2016-12-31").Select(o => o.Date));
        Assert.Equal(4, Between("2016-02-29", "2016-02-29").Single().Years);
        // The index keys of a window find it on 28 February of a common year, and not on 28 February of a leap year.
        Assert.Contains(229, AnniversaryRules.YearlyKeysBetween(new DateOnly(2013, 2, 28), new DateOnly(2013, 2, 28)));
        Assert.DoesNotContain(229, AnniversaryRules.YearlyKeysBetween(new DateOnly(2016, 2, 28), new DateOnly(2016, 2, 28)));
        Assert.Contains(229, _case.YearlyKeys);
    }

    [Fact]
    public void A_detained_victim_has_milestones_at_100_500_1000_1500_2000_days()
    {
        var arrest = Record(CaseEventType.Arrest, "2011-08-04");

        var milestones = Between("2011-08-04", "2017-12-31").Where(o => o.Kind == AnniversaryKind.DetentionDays).ToList();
        Assert.Equal([100, 500, 1000, 1500, 2000], milestones.Select(o => o.Days!.Value));
        Assert.Equal(new DateOnly(2011, 11, 12), milestones[0].Date);
        Assert.Equal(new DateOnly(2011, 8, 4).AddDays(2000), milestones[^1].Date);
        Assert.All(milestones, m => Assert.Equal((arrest, (Guid?)_victim), (m.Key.CaseEventId, m.Key.VictimId)));
        Assert.Equal([new DateOnly(2011, 8, 4)], _case.DetentionStarts);
        Assert.Contains(new DateOnly(2011, 8, 4), AnniversaryRules.DetentionStartsBetween(milestones[2].Date, milestones[2].Date));
    }

    [Fact]
    public void A_released_victims_milestones_stop_and_a_new_arrest_counts_again_from_its_own_day()
    {
        Record(CaseEventType.Arrest, "2020-01-01");
        Assert.Equal(100, Assert.Single(Between("2020-04-01", "2020-04-30")).Days);

        Record(CaseEventType.Release, "2020-06-01");
        Assert.DoesNotContain(Between("2020-01-01", "2025-12-31"), o => o.Kind == AnniversaryKind.DetentionDays);
        Assert.Empty(_case.DetentionStarts);

        var again = Record(CaseEventType.Detention, "2021-03-01");
        var milestone = Assert.Single(Between("2021-01-01", "2021-12-31"), o => o.Kind == AnniversaryKind.DetentionDays);
        Assert.Equal((new DateOnly(2021, 6, 9), 100, again), (milestone.Date, milestone.Days!.Value, milestone.Key.CaseEventId));
    }

    [Theory]
    [InlineData(CaseEventType.ProvisionalRelease)]
    [InlineData(CaseEventType.Acquittal)]
    public void A_provisional_release_or_an_acquittal_ends_the_detention_too(CaseEventType end)
    {
        Record(CaseEventType.Arrest, "2020-01-01");
        Record(end, "2020-02-01");
        Assert.DoesNotContain(Between("2020-01-01", "2025-12-31"), o => o.Kind == AnniversaryKind.DetentionDays);
    }

    [Fact]
    public void A_release_known_only_to_its_month_ends_an_arrest_of_a_day_in_that_month()
    {
        Record(CaseEventType.Arrest, "2020-03-18");
        Record(CaseEventType.Release, "2020-03");
        Assert.DoesNotContain(Between("2020-01-01", "2025-12-31"), o => o.Kind == AnniversaryKind.DetentionDays);
    }

    [Fact]
    public void A_release_of_another_victim_does_not_end_this_ones_detention()
    {
        var other = Guid.NewGuid();
        _case = CaseAnniversariesProjection.Apply(new VictimAdded(other, null, "Another", Confidentiality.Public), _case);
        Record(CaseEventType.Arrest, "2020-01-01", victims: [_victim, other]);
        Record(CaseEventType.Release, "2020-01-02", victims: [other]);
        var milestone = Assert.Single(Between("2020-04-01", "2020-04-30"));
        Assert.Equal(_victim, milestone.Key.VictimId);
    }

    [Fact]
    public void A_closed_case_keeps_only_its_disappearance_and_killing_anniversaries()
    {
        Record(CaseEventType.Conviction, "2011-11-24");
        Record(CaseEventType.Torture, "2011-11-25");
        Record(CaseEventType.Disappearance, "2011-11-26");
        Record(CaseEventType.Killing, "2011-11-27");
        Assert.Equal(4, Between("2012-11-01", "2012-11-30").Count);

        _case = CaseAnniversariesProjection.Apply(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed), _case);
        Assert.Equal([new DateOnly(2012, 11, 26), new DateOnly(2012, 11, 27)], Between("2012-11-01", "2012-11-30").Select(o => o.Date).Order());
        Assert.Equal([1126, 1127], _case.YearlyKeys);

        // Reopened: they come back.
        _case = CaseAnniversariesProjection.Apply(new CaseStatusChanged(CaseStatus.Closed, CaseStatus.Open), _case);
        Assert.Equal(4, Between("2012-11-01", "2012-11-30").Count);
    }

    [Fact]
    public void Dates_known_only_to_the_month_or_the_year_have_no_anniversary_and_no_milestone()
    {
        Record(CaseEventType.Arrest, "2011-08");
        Record(CaseEventType.Conviction, "2011");
        Assert.Empty(Between("2011-01-01", "2011-12-31"));
        Assert.Empty(Between("2012-01-01", "2012-12-31"));
        Assert.Empty(_case.YearlyKeys);
        Assert.Empty(_case.DetentionStarts);
    }

    [Fact]
    public void A_correction_moves_the_anniversary_and_one_to_another_type_removes_it()
    {
        var conviction = Record(CaseEventType.Conviction, "2011-11-24");
        Correct(conviction, CaseEventType.Conviction, "2011-11-23");
        Assert.Equal(new DateOnly(2012, 11, 23), Assert.Single(Between("2012-11-01", "2012-11-30")).Date);

        Correct(conviction, CaseEventType.Trial, "2011-11-23");
        Assert.Empty(Between("2012-11-01", "2012-11-30"));
        Assert.Empty(_case.Entries);

        var arrest = Record(CaseEventType.Arrest, "2020-01-01");
        Correct(arrest, CaseEventType.Arrest, "2020-01"); // the day turned out to be uncertain
        Assert.Empty(Between("2020-01-01", "2021-12-31"));
    }

    [Fact]
    public void Each_clearance_sees_the_anniversaries_of_the_events_and_victims_it_may_see()
    {
        var hidden = Guid.NewGuid();
        _case = CaseAnniversariesProjection.Apply(new VictimAdded(hidden, null, "Protected witness", Confidentiality.Staff), _case);
        Record(CaseEventType.Arrest, "2020-01-01", victims: [_victim, hidden]);
        Record(CaseEventType.Torture, "2020-01-10", level: Confidentiality.Restricted);

        var publicView = AnniversaryRules.Between(_case, D("2020-04-01"), D("2021-01-31"), Confidentiality.Public).ToList();
        Assert.Equal([_victim], publicView.Where(o => o.Kind == AnniversaryKind.DetentionDays).Select(o => o.Key.VictimId!.Value));
        Assert.Single(publicView, o => o.Kind == AnniversaryKind.Yearly); // the arrest, not the RESTRICTED torture
        var staffView = AnniversaryRules.Between(_case, D("2020-04-01"), D("2021-01-31"), Confidentiality.Staff).ToList();
        Assert.Equal(2, staffView.Count(o => o.Kind == AnniversaryKind.DetentionDays));
        Assert.Equal(Confidentiality.Staff, staffView.Single(o => o.Key.VictimId == hidden).Confidentiality);
        Assert.Equal(2, AnniversaryRules.Between(_case, D("2021-01-01"), D("2021-01-31"), Confidentiality.Restricted).Count(o => o.Kind == AnniversaryKind.Yearly));
    }

    [Fact]
    public void A_release_above_the_callers_clearance_does_not_exist_for_it_and_a_case_above_it_has_no_anniversaries()
    {
        Record(CaseEventType.Arrest, "2020-01-01");
        Record(CaseEventType.Release, "2020-02-01", level: Confidentiality.Restricted);
        Assert.Single(AnniversaryRules.Between(_case, D("2020-04-01"), D("2020-04-30"), Confidentiality.Staff));
        Assert.Empty(AnniversaryRules.Between(_case, D("2020-04-01"), D("2020-04-30"), Confidentiality.Restricted));

        var secret = CaseAnniversariesProjection.Create(new CaseOpened(Guid.NewGuid(), 2, "R", "T", "BY", null, Confidentiality.Staff, new DateOnly(2011, 1, 1)));
        secret = CaseAnniversariesProjection.Apply(Event(new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Killing, PartialDate.Parse("2011-03-15"), [], null, null, null, Confidentiality.Public)), secret);
        Assert.Empty(AnniversaryRules.Between(secret, D("2012-03-15"), D("2012-03-15"), Confidentiality.Network));
        Assert.Equal(Confidentiality.Staff, Assert.Single(AnniversaryRules.Between(secret, D("2012-03-15"), D("2012-03-15"), Confidentiality.Staff)).Confidentiality);
    }

    [Fact]
    public void A_window_in_any_allowed_year_looks_for_a_bounded_number_of_detention_starts()
    {
        // The work of a window: the detention start days the index is asked for. A full year of 9991 built two
        // million of them (3 s a query); the years are now bounded, and within them a full year is under 50,000.
        var latest = AnniversaryRules.LatestYear(DateOnly.FromDateTime(DateTime.UtcNow));
        for (var year = 1900; year <= latest; year++)
        {
            var full = AnniversaryRules.DetentionStartsBetween(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
            Assert.True(full.Length <= 50_000, $"{year}: {full.Length}");
            Assert.True(AnniversaryRules.DetentionStartsBetween(new DateOnly(year, 6, 1), new DateOnly(year, 6, 1)).Length <= 300);
        }
    }

    [Fact]
    public void Detention_starts_and_milestones_of_a_window_are_those_of_the_step_by_step_enumeration()
    {
        var random = new Random(15);
        for (var i = 0; i < 300; i++)
        {
            var from = new DateOnly(1900, 1, 1).AddDays(random.Next(0, 50_000));
            var to = from.AddDays(random.Next(0, 366));
            var since = new DateOnly(1900, 1, 1).AddDays(random.Next(0, 50_000));

            // Step by step, as before: every day of the window moved back by every milestone up to it.
            var expected = new SortedSet<DateOnly>();
            for (var days = 100; days <= to.DayNumber - AnniversaryRules.EarliestDate.DayNumber; days = days == 100 ? 500 : days + 500)
            {
                for (var day = from; day <= to; day = day.AddDays(1))
                {
                    if (day.AddDays(-days) >= AnniversaryRules.EarliestDate)
                    {
                        expected.Add(day.AddDays(-days));
                    }
                }
            }

            Assert.Equal(expected, AnniversaryRules.DetentionStartsBetween(from, to).Order());
            Assert.Equal(AnniversaryRules.Milestones(to.DayNumber - since.DayNumber).Where(d => since.AddDays(d) >= from),
                AnniversaryRules.Milestones(from.DayNumber - since.DayNumber, to.DayNumber - since.DayNumber));
        }
    }

    [Fact]
    public void Milestones_are_100_then_every_500_days()
    {
        Assert.Empty(AnniversaryRules.Milestones(99));
        Assert.Equal([100, 500, 1000, 1500, 2000, 2500], AnniversaryRules.Milestones(2999));
    }

    private static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

    private List<AnniversaryOccurrence> Between(string from, string to) =>
        AnniversaryRules.Between(_case, D(from), D(to), Confidentiality.Restricted).OrderBy(o => o.Date).ToList();

    private Guid Record(CaseEventType type, string date, Guid[]? victims = null, Confidentiality level = Confidentiality.Public)
    {
        var id = Guid.NewGuid();
        _case = CaseAnniversariesProjection.Apply(Event(new CaseEventRecorded(id, type, PartialDate.Parse(date), victims ?? [_victim], null, null, null, level)), _case);
        return id;
    }

    private void Correct(Guid id, CaseEventType type, string date) =>
        _case = CaseAnniversariesProjection.Apply(Event(new CaseEventCorrected(id, type, PartialDate.Parse(date), [_victim], null, null, null, Confidentiality.Public)), _case);

    private IEvent<T> Event<T>(T data) where T : notnull => new Event<T>(data) { Version = ++_version };
}
