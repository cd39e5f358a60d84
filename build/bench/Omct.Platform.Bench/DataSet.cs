using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.BuildingBlocks.Modules;

namespace Omct.Platform.Bench;

/// <summary>
/// The benchmark data set, deterministic for a seed: <see cref="Plan"/> fixes, in one pass, what
/// must be allocated in order (opening dates sorted by case number, country sequence, appeal
/// number per year, as the reference counters would have handed them out); <see cref="EventsOf"/>
/// then builds one case's stream from its own seeded generator, so writers can run in parallel
/// and still produce the same data.
/// </summary>
internal sealed class DataSet
{
    public static readonly DateOnly FirstDay = new(2011, 1, 1);
    public static readonly DateOnly LastDay = new(2025, 12, 31);

    /// <summary>60 countries, most frequent first; weight ~ 1 / rank^0.7.</summary>
    public static readonly string[] Countries =
    [
        "MX", "CO", "RU", "GT", "PH", "HN", "BY", "TR", "IN", "BR", "VE", "CN", "EG", "AZ", "NI",
        "PE", "IR", "CM", "CD", "UA", "BD", "PK", "SV", "KH", "SA", "BH", "VN", "TH", "MM", "ID",
        "EC", "BO", "KZ", "UZ", "TJ", "GE", "AM", "SY", "IQ", "YE", "DZ", "MA", "TN", "LY", "SD",
        "BI", "RW", "UG", "KE", "ET", "ZW", "NG", "AF", "NP", "LK", "MY", "CU", "AR", "CL", "ER",
    ];

    private static readonly string[] FirstNames =
    [
        "Ana", "Carlos", "María", "José", "Luis", "Rosa", "Nasako", "Ales", "Natalia", "Oleg", "Irina", "Sergei",
        "Aisha", "Omar", "Fatima", "Youssef", "Leila", "Hassan", "Mariam", "Ahmed", "Priya", "Ravi", "Meera",
        "Arjun", "Li", "Wei", "Mei", "Nguyen", "Thanh", "Maria", "Jose", "Grace", "Samuel", "Esther", "Daniel",
        "Amina", "Ibrahim", "Chidi", "Ngozi", "Pierre", "Claire", "Tenzin", "Dolkar", "Berta", "Máximo",
    ];

    private static readonly string[] LastNames =
    [
        "García", "Rodríguez", "López", "Hernández", "Martínez", "Pérez", "Besingi", "Bialiatski", "Ivanova",
        "Petrov", "Kuznetsov", "Haddad", "Mansour", "El-Sayed", "Karimi", "Rahimi", "Sharma", "Patel", "Singh",
        "Wang", "Zhang", "Tran", "Pham", "Santos", "Reyes", "Cruz", "Okafor", "Mwangi", "Kabila", "Nkurunziza",
        "Dubois", "Yilmaz", "Demir", "Aliyev", "Mammadov", "Gurung", "Perera", "Rahman", "Hossain", "Cáceres",
    ];

    private static readonly string[] Subjects =
    [
        "Arbitrary detention of", "Judicial harassment against", "Death threats against", "Arrest and detention of",
        "Ongoing judicial harassment of", "Intimidation and harassment of", "Enforced disappearance of",
        "Sentencing of", "Assault on", "Travel ban imposed on", "Raid on the office of", "Killing of",
        "Smear campaign against", "Arbitrary arrest of", "Release of",
    ];

    private static readonly string[] Organisations =
    [
        "the Human Rights Centre", "the Committee for Justice", "the Association of Families of the Disappeared",
        "the Lawyers' Collective", "the Land Defenders Network", "the Women's Rights Coalition", "the Press Freedom Union",
        "the Indigenous Peoples' Council", "the Legal Aid Clinic", "the Environmental Defence League",
    ];

    private static readonly string[] Addressees =
    [
        "President of the Republic", "Minister of Justice", "Minister of the Interior", "Prosecutor General",
        "Ombudsperson", "UN Special Rapporteur on human rights defenders", "Ambassador to the UN in Geneva",
    ];

    private static readonly string[] Sources = ["Partner organisation", "Family", "Lawyer", "Local press", "Member of the network"];

    /// <summary>Event types with realistic weights (per mille).</summary>
    private static readonly (CaseEventType Type, int Weight)[] EventTypes =
    [
        (CaseEventType.Arrest, 170), (CaseEventType.Detention, 130), (CaseEventType.JudicialHarassment, 120),
        (CaseEventType.Threat, 100), (CaseEventType.Intimidation, 80), (CaseEventType.Charge, 60), (CaseEventType.Trial, 45),
        (CaseEventType.Conviction, 35), (CaseEventType.Sentencing, 30), (CaseEventType.Release, 50),
        (CaseEventType.ProvisionalRelease, 20), (CaseEventType.Disappearance, 20), (CaseEventType.Killing, 15),
        (CaseEventType.Torture, 20), (CaseEventType.IllTreatment, 30), (CaseEventType.Surveillance, 20),
        (CaseEventType.Raid, 15), (CaseEventType.TravelBan, 15), (CaseEventType.Other, 25),
    ];

    private readonly int _seed;
    private readonly double[] _countryCumulative;

    private DataSet(int seed, int cases)
    {
        _seed = seed;
        var weights = Countries.Select((_, rank) => 1.0 / Math.Pow(rank + 1, 0.7)).ToArray();
        var total = weights.Sum();
        _countryCumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i] / total;
            _countryCumulative[i] = sum;
        }

        Plan = new PlannedCase[cases];
        var random = new Random(seed);
        var span = LastDay.DayNumber - FirstDay.DayNumber + 1;
        // Somewhat more cases in later years: day = span * u^0.8.
        var days = new int[cases];
        for (var i = 0; i < cases; i++)
        {
            days[i] = (int)(span * Math.Pow(random.NextDouble(), 0.8));
        }

        Array.Sort(days);
        // As the reference counters hand them out: a sequence per country and year, an appeal number per year.
        var countrySequence = new Dictionary<(string Alpha3, int Year), long>();
        var appealNumber = new Dictionary<int, long>();
        for (var i = 0; i < cases; i++)
        {
            var country = Country.TryGet(PickCountry(random.NextDouble()), out var c) ? c : throw new InvalidOperationException();
            var openedOn = DateOnly.FromDayNumber(FirstDay.DayNumber + days[i]);
            var countryNumber = countrySequence[(country.Alpha3, openedOn.Year)] = countrySequence.GetValueOrDefault((country.Alpha3, openedOn.Year)) + 1;
            var appeal = appealNumber[openedOn.Year] = appealNumber.GetValueOrDefault(openedOn.Year) + 1;
            Plan[i] = new PlannedCase(i + 1L, country, openedOn, countryNumber, appeal);
        }

        CountryCounters = countrySequence;
        AppealCounters = appealNumber;
    }

    public PlannedCase[] Plan { get; }

    /// <summary>Last number handed out per country alpha-3 and year (for <c>cases_counters</c>).</summary>
    public IReadOnlyDictionary<(string Alpha3, int Year), long> CountryCounters { get; }

    /// <summary>Last appeal number per year.</summary>
    public IReadOnlyDictionary<int, long> AppealCounters { get; }

    public static DataSet Create(int seed, int cases) => new(seed, cases);

    private string PickCountry(double u)
    {
        var index = Array.BinarySearch(_countryCumulative, u);
        if (index < 0)
        {
            index = ~index;
        }

        return Countries[Math.Min(index, Countries.Length - 1)];
    }

    /// <summary>
    /// A deterministic case id: 128 bits from SplitMix64 of the case number (a bijection, so no two
    /// case numbers share an id).
    /// </summary>
    public Guid IdOf(long caseNumber)
    {
        var hi = SplitMix(unchecked((ulong)caseNumber + (ulong)_seed * 0x9E3779B97F4A7C15UL));
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

    /// <summary>The events of one case stream, in the order the API would have appended them.</summary>
    public List<object> EventsOf(PlannedCase plan, out CaseStatus finalStatus)
    {
        var random = new Random(Mix(_seed, plan.Number, 0x2e));
        var events = new List<object>(8);
        var caseId = IdOf(plan.Number);

        // ~10 % of cases confidential: 6 % STAFF, 4 % RESTRICTED.
        var roll = random.Next(100);
        var confidentiality = roll < 4 ? Confidentiality.Restricted : roll < 10 ? Confidentiality.Staff : Confidentiality.Public;

        var victimCount = random.Weighted(65, 25, 10) + 1;
        var victims = new List<(Guid Id, string Name)>(victimCount);
        for (var i = 0; i < victimCount; i++)
        {
            var name = random.Next(10) == 0
                ? $"Members of {Organisations[random.Next(Organisations.Length)]}"
                : $"{random.Pick(FirstNames)} {random.Pick(LastNames)}";
            victims.Add((random.NextGuid(), name));
        }

        var subject = random.Pick(Subjects);
        var title = $"{plan.Country.Name}: {subject} {(victimCount == 1 ? Honorific(random) + victims[0].Name : $"{victims[0].Name} and {victimCount - 1} other{(victimCount > 2 ? "s" : "")}")}";
        var summary = random.Next(10) < 8
            ? $"{victims[0].Name}, member of {random.Pick(Organisations)}, was targeted in {plan.Country.Name} in connection with " +
              $"{(random.Next(2) == 0 ? "their peaceful human rights work" : "their documentation of abuses by the security forces")}. " +
              $"{random.Pick(Sources)} reports that the authorities have not opened an investigation."
            : null;

        var reference = CaseDecider.FormatReference(plan.Country,
            new ReferenceNumbers(plan.Number, plan.CountrySequence, plan.AppealNumber), plan.OpenedOn);
        events.Add(new CaseOpened(caseId, plan.Number, reference, title, plan.Country.Code, summary, confidentiality, plan.OpenedOn));

        foreach (var (id, name) in victims)
        {
            // In public cases some names are kept to the network, as on the seed page.
            var level = confidentiality == Confidentiality.Public && random.Next(10) == 0 ? Confidentiality.Network : confidentiality;
            events.Add(new VictimAdded(id, null, name, level));
        }

        var recorded = random.Weighted(25, 55, 15, 5);
        for (var i = 0; i < recorded; i++)
        {
            var type = PickEventType(random);
            var day = plan.OpenedOn.AddDays(-random.Next(0, 60));
            var precision = random.Next(100);
            var date = precision < 80 ? new PartialDate(day.Year, day.Month, day.Day)
                : precision < 95 ? new PartialDate(day.Year, day.Month) : new PartialDate(day.Year);
            var involved = victims.Where((_, index) => index == 0 || random.Next(2) == 0).Select(v => v.Id).ToList();
            var level = confidentiality != Confidentiality.Public ? confidentiality
                : random.Next(100) switch { < 6 => Confidentiality.Staff, < 10 => Confidentiality.Restricted, _ => Confidentiality.Public };
            var perpetrator = (PerpetratorType)random.Next(Enum.GetValues<PerpetratorType>().Length);
            events.Add(new CaseEventRecorded(random.NextGuid(), type, date, involved,
                $"{type} reported on {date} ({victims.Count} victim{(victims.Count > 1 ? "s" : "")}).", perpetrator,
                random.Pick(Sources), level));
        }

        // An urgent appeal on most cases, follow-ups on some of them.
        if (random.Next(100) < 85)
        {
            var issued = plan.OpenedOn;
            events.Add(new InterventionIssued(random.NextGuid(), InterventionType.UrgentAppeal, 0, reference, issued, Recipients(random, plan.Country)));
            var followUps = random.Weighted(80, 15, 5);
            for (var n = 1; n <= followUps; n++)
            {
                issued = Min(issued.AddDays(random.Next(20, 400)), LastDay);
                events.Add(new InterventionIssued(random.NextGuid(), InterventionType.FollowUp, n, $"{reference}.{n}", issued,
                    Recipients(random, plan.Country)));
            }
        }

        // Statuses: 45 % open, 25 % monitoring, 30 % closed (some of them after monitoring).
        var status = random.Next(100);
        finalStatus = status < 45 ? CaseStatus.Open : status < 70 ? CaseStatus.Monitoring : CaseStatus.Closed;
        if (finalStatus == CaseStatus.Monitoring)
        {
            events.Add(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Monitoring));
        }
        else if (finalStatus == CaseStatus.Closed)
        {
            if (random.Next(10) < 4)
            {
                events.Add(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Monitoring));
                events.Add(new CaseStatusChanged(CaseStatus.Monitoring, CaseStatus.Closed));
            }
            else
            {
                events.Add(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed));
            }
        }

        return events;
    }

    private static List<string> Recipients(Random random, Country country) =>
        Addressees.Where((_, i) => i < 2 || random.Next(3) == 0).Select(a => $"{a} ({country.Name})").ToList();

    /// <summary>A stable seed from the data set's seed and a case number (HashCode is randomised per process).</summary>
    private static int Mix(int seed, long number, int salt)
    {
        unchecked
        {
            var x = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)number * 0xBF58476D1CE4E5B9UL ^ (ulong)salt * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            x *= 0xD6E8FEB86659FD93UL;
            x ^= x >> 32;
            return (int)x;
        }
    }


    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static string Honorific(Random random) => random.Next(2) == 0 ? "Mr. " : "Ms. ";



    private static CaseEventType PickEventType(Random random)
    {
        var roll = random.Next(EventTypes.Sum(t => t.Weight));
        foreach (var (type, weight) in EventTypes)
        {
            if (roll < weight)
            {
                return type;
            }

            roll -= weight;
        }

        return CaseEventType.Other;
    }
}

internal sealed record PlannedCase(long Number, Country Country, DateOnly OpenedOn, long CountrySequence, long AppealNumber);
