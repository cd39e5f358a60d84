using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Omct.Platform.BuildingBlocks.Countries;

/// <summary>
/// An ISO 3166-1 country: alpha-2 code (the API's <c>CountryCode</c>), alpha-3 (references), its
/// region (UN geoscheme continent) and English name.
/// </summary>
public sealed record Country(string Code, string Alpha3, Region Region, string Name)
{
    private static readonly FrozenDictionary<string, Country> ByCode = Load();

    public static IReadOnlyCollection<Country> All => ByCode.Values;

    /// <summary>The country for an alpha-2 code (case-insensitive); false for anything else.</summary>
    public static bool TryGet(string? code, [NotNullWhen(true)] out Country? country)
    {
        country = null;
        return code is { Length: 2 } && ByCode.TryGetValue(code.ToUpperInvariant(), out country);
    }

    /// <summary>The alpha-2 codes of the countries of these regions.</summary>
    public static IReadOnlyList<string> CodesIn(IEnumerable<Region> regions)
    {
        var wanted = regions.ToHashSet();
        return ByCode.Values.Where(c => wanted.Contains(c.Region)).Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
    }

    private static FrozenDictionary<string, Country> Load()
    {
        using var stream = typeof(Country).Assembly.GetManifestResourceStream("countries.csv")
            ?? throw new InvalidOperationException("The embedded country list is missing.");
        using var reader = new StreamReader(stream);
        var countries = new Dictionary<string, Country>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(',', 4);
            if (parts.Length == 4)
            {
                countries[parts[0]] = new Country(parts[0], parts[1], Enum.Parse<Region>(parts[2]), parts[3]);
            }
        }

        return countries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>The regions calls for input and reports group countries by (UN geoscheme continents).</summary>
public enum Region { Africa, Americas, Asia, Europe, Oceania, Antarctica }
