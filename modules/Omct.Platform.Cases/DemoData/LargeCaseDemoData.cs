using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.References;

namespace Omct.Platform.Cases.DemoData;

/// <summary>
/// The larger demo (<c>Omct:DemoSize = large</c>, <c>build/run.sh --demo-size large</c>): <see cref="Cases"/>
/// generated cases from 2011 to last year over 30 countries, so dashboards and charts have something
/// to show. Deterministic (a fixed seed: the same titles, victims, dates and ids on every machine);
/// written as the case stream's own events (those the commands append: opened, victims, events,
/// interventions, status), a few hundred streams per transaction, so the inline projections build
/// every read model as in production; references come from the same PostgreSQL counters as
/// <c>openCase</c>. Runs after the seed page's cases; a case already there is not written again.
/// </summary>
internal sealed class LargeCaseDemoData(IDocumentStore store, ReferenceCounters counters, IConfiguration configuration, TimeProvider time,
    ILogger<LargeCaseDemoData> log) : IDemoDataSeeder
{
    public const int Cases = 5_000;
    private const int Seed = 20130321;
    private const int Batch = 250;

    private static readonly string[] Countries =
    [
        "MX", "CO", "RU", "GT", "PH", "HN", "BY", "TR", "IN", "BR", "VE", "EG", "AZ", "NI", "PE",
        "CM", "CD", "BD", "KH", "BH", "TH", "KE", "ZW", "TG", "BF", "SN", "TN", "UG", "NP", "UZ",
    ];

    private static readonly string[] FirstNames =
        ["Ana", "Carlos", "María", "José", "Luis", "Rosa", "Natalia", "Oleg", "Irina", "Aisha", "Omar", "Fatima", "Leila", "Hassan",
         "Priya", "Ravi", "Grace", "Samuel", "Esther", "Amina", "Ibrahim", "Ngozi", "Pierre", "Claire", "Tenzin", "Berta"];

    private static readonly string[] LastNames =
        ["García", "Rodríguez", "López", "Martínez", "Pérez", "Ivanova", "Petrov", "Haddad", "Mansour", "Karimi", "Sharma", "Singh",
         "Santos", "Reyes", "Cruz", "Okafor", "Mwangi", "Dubois", "Yilmaz", "Aliyev", "Gurung", "Rahman", "Traoré", "Diallo"];

    private static readonly string[] Subjects =
        ["Arbitrary detention of", "Judicial harassment against", "Death threats against", "Arrest and detention of",
         "Intimidation and harassment of", "Enforced disappearance of", "Sentencing of", "Assault on", "Travel ban imposed on",
         "Raid on the office of", "Killing of", "Arbitrary arrest of"];

    private static readonly (CaseEventType Type, int Weight)[] EventTypes =
    [
        (CaseEventType.Arrest, 17), (CaseEventType.Detention, 13), (CaseEventType.JudicialHarassment, 12), (CaseEventType.Threat, 10),
        (CaseEventType.Intimidation, 8), (CaseEventType.Charge, 6), (CaseEventType.Trial, 4), (CaseEventType.Conviction, 4),
        (CaseEventType.Sentencing, 3), (CaseEventType.Release, 5), (CaseEventType.Disappearance, 2), (CaseEventType.Killing, 2),
        (CaseEventType.Torture, 2), (CaseEventType.IllTreatment, 3), (CaseEventType.Surveillance, 2), (CaseEventType.Raid, 2),
        (CaseEventType.TravelBan, 2), (CaseEventType.Other, 3),
    ];

    public int Order => 50;

    /// <summary>The demo size setting; anything but <c>small</c> or <c>large</c> stops start-up.</summary>
    public static bool IsLarge(IConfiguration configuration) => configuration["Omct:DemoSize"]?.Trim().ToLowerInvariant() switch
    {
        null or "" or "small" => false,
        "large" => true,
        var other => throw new InvalidOperationException($"Omct:DemoSize must be small or large, not '{other}'."),
    };

    public async Task SeedAsync(CancellationToken ct)
    {
        if (!IsLarge(configuration))
        {
            return;
        }

        var started = time.GetTimestamp();
        var today = time.TodayUtc();
        var plan = Plan(today.Year - 1);
        var written = 0;
        for (var from = 0; from < plan.Count; from += Batch)
        {
            var part = plan.Skip(from).Take(Batch).ToList();
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "system:demo-data";
            var ids = part.Select(p => p.Id).ToList();
            var existing = (await session.Query<Case>().Where(c => c.Id.IsOneOf(ids)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            var missing = part.Where(p => !existing.Contains(p.Id)).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            // The three numbers of each case in one round trip for the whole batch (in order, as openCase would take them).
            var numbers = await counters.NextAsync(
                missing.SelectMany(p => new[] { "case", ReferenceCounters.CountryKey(p.Country.Alpha3, p.OpenedOn.Year), ReferenceCounters.AppealKey(p.OpenedOn.Year) }).ToList(), ct);
            for (var i = 0; i < missing.Count; i++)
            {
                var reference = new ReferenceNumbers(numbers[3 * i], numbers[3 * i + 1], numbers[3 * i + 2]);
                session.Events.StartStream<Case>(missing[i].Id, EventsOf(missing[i], reference, today).ToArray());
                written++;
            }

            await session.SaveChangesAsync(ct);
        }

        log.LogInformation("Large demo: {Written} of {Cases} generated cases written in {Seconds:0.0} s", written, plan.Count,
            time.GetElapsedTime(started).TotalSeconds);
    }

    private sealed record PlannedCase(int Number, Guid Id, Country Country, DateOnly OpenedOn);

    /// <summary>Opening dates spread over the years (somewhat more in later ones), sorted, each with its country.</summary>
    private static List<PlannedCase> Plan(int lastYear)
    {
        var random = new Random(Seed);
        var first = new DateOnly(2011, 1, 1).DayNumber;
        var span = new DateOnly(lastYear, 12, 31).DayNumber - first + 1;
        var days = Enumerable.Range(0, Cases).Select(_ => (int)(span * Math.Pow(random.NextDouble(), 0.8))).Order().ToList();
        return days.Select((day, i) =>
        {
            // Weight ~ 1 / rank^0.7: a few countries carry most cases, as in reality.
            var country = Countries[random.Weighted(Countries.Select((_, rank) => (int)(1000 / Math.Pow(rank + 1, 0.7))).ToArray())];
            return new PlannedCase(i + 1, IdOf(i + 1), Country.TryGet(country, out var c) ? c : throw new InvalidOperationException(country),
                DateOnly.FromDayNumber(first + day));
        }).ToList();
    }

    /// <summary>The stream of one case, in the order the commands would append it, from its own seeded generator.</summary>
    private static List<object> EventsOf(PlannedCase plan, ReferenceNumbers numbers, DateOnly today)
    {
        var random = new Random(Seed ^ (plan.Number * 7919));
        var roll = random.Next(100);
        var level = roll < 5 ? Confidentiality.Restricted : roll < 15 ? Confidentiality.Staff : Confidentiality.Public;
        var victims = Enumerable.Range(0, random.Weighted(65, 25, 10) + 1)
            .Select(_ => (Id: random.NextGuid(), Name: $"{random.Pick(FirstNames)} {random.Pick(LastNames)}")).ToList();
        var title = $"{plan.Country.Name}: {random.Pick(Subjects)} {victims[0].Name}" +
                    (victims.Count > 1 ? $" and {victims.Count - 1} other{(victims.Count > 2 ? "s" : "")}" : "");
        var reference = CaseDecider.FormatReference(plan.Country, numbers, plan.OpenedOn);
        var events = new List<object>
        {
            new CaseOpened(plan.Id, numbers.CaseNumber, reference, title, plan.Country.Code,
                $"{victims[0].Name} was targeted in {plan.Country.Name} in connection with their human rights work.", level, plan.OpenedOn),
        };
        // In public cases some names are kept to the network, as on the seed page.
        events.AddRange(victims.Select(v => new VictimAdded(v.Id, null, v.Name,
            level == Confidentiality.Public && random.Next(10) == 0 ? Confidentiality.Network : level)));
        for (var i = random.Weighted(20, 50, 20, 10) + 1; i > 0; i--)
        {
            var type = EventTypes[random.Weighted(EventTypes.Select(t => t.Weight).ToArray())].Type;
            var day = plan.OpenedOn.AddDays(-random.Next(0, 60));
            var date = random.Next(10) < 8 ? new PartialDate(day.Year, day.Month, day.Day) : new PartialDate(day.Year, day.Month);
            var involved = victims.Where((_, index) => index == 0 || random.Next(2) == 0).Select(v => v.Id).ToList();
            events.Add(new CaseEventRecorded(random.NextGuid(), type, date, involved, $"{type} reported by a partner organisation.",
                (PerpetratorType)random.Next(Enum.GetValues<PerpetratorType>().Length), "Partner organisation", level));
        }

        if (random.Next(100) < 85)
        {
            var addressees = new[] { $"President of {plan.Country.Name}", $"Minister of Justice of {plan.Country.Name}" };
            events.Add(new InterventionIssued(random.NextGuid(), InterventionType.UrgentAppeal, 0, reference, plan.OpenedOn, addressees));
            if (random.Next(100) < 25)
            {
                var followUp = plan.OpenedOn.AddDays(random.Next(20, 300));
                events.Add(new InterventionIssued(random.NextGuid(), InterventionType.FollowUp, 1, $"{reference}.1",
                    followUp < today ? followUp : today.AddDays(-1), addressees));
            }
        }

        switch (random.Next(100))
        {
            case < 45:
                break;
            case < 70:
                events.Add(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Monitoring));
                break;
            default:
                events.Add(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed));
                break;
        }

        return events;
    }

    /// <summary>A deterministic case id from its number (SplitMix64: no two numbers share an id).</summary>
    private static Guid IdOf(long number)
    {
        var hi = SplitMix(unchecked((ulong)number + (ulong)Seed * 0x9E3779B97F4A7C15UL));
        var lo = SplitMix(hi ^ 0x5851F42D4C957F2DUL);
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, hi);
        BitConverter.TryWriteBytes(bytes[8..], lo);
        return new Guid(bytes);
    }

    private static ulong SplitMix(ulong x)
    {
        unchecked
        {
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }



}
