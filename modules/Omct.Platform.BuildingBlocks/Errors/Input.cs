using Omct.Platform.BuildingBlocks.Countries;

namespace Omct.Platform.BuildingBlocks.Errors;

/// <summary>The input checks every decider makes, each refusing with VALIDATION and the field's name.</summary>
public static class Input
{
    /// <summary>Trimmed, not empty, at most <paramref name="max"/> characters.</summary>
    public static string Required(string? value, string field, int max)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.Validation(field, $"The {field} must not be empty.");
        }

        return trimmed.Length > max ? throw DomainException.Validation(field, $"The {field} may have at most {max} characters.") : trimmed;
    }

    /// <summary>Trimmed, null when empty, at most <paramref name="max"/> characters.</summary>
    public static string? Optional(string? value, string field, int max)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null
            : trimmed.Length > max ? throw DomainException.Validation(field, $"The {field} may have at most {max} characters.") : trimmed;
    }

    /// <summary>An ISO 3166-1 alpha-2 code of a known country.</summary>
    public static Country Country(string? code, string field = "countryCode") =>
        Countries.Country.TryGet(code, out var country)
            ? country
            : throw DomainException.Validation(field, $"'{code}' is not an ISO 3166-1 alpha-2 country code.");

    /// <summary>A free-text search: trimmed, null when empty, at most 200 characters.</summary>
    public static string? SearchText(string? text, string field = "filter.text")
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null
            : trimmed.Length > 200 ? throw DomainException.Validation(field, "The search text may have at most 200 characters.") : trimmed;
    }
}
