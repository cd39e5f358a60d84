using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;
using Omct.Platform.BuildingBlocks.Countries;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// <c>PartialDate</c>: <c>2011</c>, <c>2011-11</c> or <c>2011-11-24</c>. Carried as text; the
/// domain validates it, so a bad value is a <c>VALIDATION</c> error naming the input field.
/// </summary>
public sealed class PartialDateGraphType : StringGraphType
{
    public PartialDateGraphType()
    {
        Name = "PartialDate";
        Description = "A date known to the year (2011), the month (2011-11) or the day (2011-11-24).";
    }
}

/// <summary><c>CountryCode</c>: ISO 3166-1 alpha-2 (<c>CM</c>), validated by the domain.</summary>
public sealed class CountryCodeGraphType : StringGraphType
{
    public CountryCodeGraphType()
    {
        Name = "CountryCode";
        Description = "An ISO 3166-1 alpha-2 country code, e.g. CM.";
    }
}

/// <summary><c>Date</c>: <c>2011-11-24</c>.</summary>
public sealed class IsoDateGraphType : ScalarGraphType
{
    public IsoDateGraphType()
    {
        Name = "Date";
        Description = "A calendar date, yyyy-MM-dd.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => ParseValue((string)s.Value),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        DateOnly d => d,
        string s when DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };
}

/// <summary><c>Country { code alpha3 name }</c>.</summary>
public sealed class CountryGraphType : ObjectGraphType<Country>
{
    public CountryGraphType()
    {
        Name = "Country";
        Field<NonNullGraphType<CountryCodeGraphType>>("code").Description("ISO 3166-1 alpha-2.").Resolve(c => c.Source.Code);
        Field(c => c.Alpha3).Description("ISO 3166-1 alpha-3, as used in case references.");
        Field(c => c.Name).Description("English name.");
        Field<NonNullGraphType<EnumerationGraphType<Region>>>("region").Description("UN geoscheme continent.").Resolve(c => c.Source.Region);
        this.FieldsShownWithRecord();
    }
}

/// <summary>
/// <c>DateTime</c> (api-contract): an instant as ISO 8601 with its offset, e.g.
/// <c>2026-12-10T08:00:00+00:00</c>. Every <see cref="DateTimeOffset"/> of the schema uses it
/// (the host maps the CLR type to it); GraphQL.NET's own <c>DateTimeOffset</c> scalar must not appear.
/// </summary>
public sealed class IsoDateTimeGraphType : DateTimeOffsetGraphType
{
    public IsoDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "An instant, ISO 8601 with its offset (2026-12-10T08:00:00+00:00).";
    }
}
