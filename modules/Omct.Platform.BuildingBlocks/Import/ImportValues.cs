using System.Globalization;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.BuildingBlocks.Import;

/// <summary>
/// Reads an <see cref="ImportRow"/>'s text values as the GraphQL input types would (booleans, dates, enum values in
/// upper snake case, lists), collecting a problem per field instead of stopping at the first — and the checks the API
/// makes before a command runs: no NUL character, a level within the caller's clearance, a field only some may write.
/// </summary>
public sealed class ImportValues(ImportRow row, Caller caller, string prefix = "")
{
    public List<ImportProblem> Problems { get; } = [];

    public ImportRow Row => row;

    public string Field(string name) => prefix + name;

    public string? Text(string field)
    {
        var value = row.Get(field);
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            Problems.Add(new ImportProblem(Field(field), "Text may not contain the NUL character."));
            return null;
        }

        return value;
    }

    /// <summary>A field only a caller with <paramref name="needed"/> clearance may write (the API's <c>WritableFrom</c>).</summary>
    public string? RestrictedText(string field, Confidentiality needed)
    {
        var value = Text(field);
        if (value is not null)
        {
            Guard(() => WriteClearance.EnsureMayWrite(caller.Clearance, needed, Field(field)));
        }

        return value;
    }

    public bool? Bool(string field)
    {
        var value = Text(field);
        switch (value?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "yes" or "y" or "1" or "oui" or "sí" or "si":
                return true;
            case "false" or "no" or "n" or "0" or "non":
                return false;
            default:
                Problems.Add(new ImportProblem(Field(field), "Not a boolean: true or false (yes/no, 1/0)."));
                return null;
        }
    }

    public DateOnly? Date(string field)
    {
        var value = Text(field);
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        // A spreadsheet's date cell (read as 2013-03-21T00:00:00).
        if (DateTime.TryParseExact(value, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return DateOnly.FromDateTime(time);
        }

        Problems.Add(new ImportProblem(Field(field), "Not a date: YYYY-MM-DD."));
        return null;
    }

    /// <summary>
    /// A moment as the API's DateTime takes it (ISO 8601 with its offset, <c>2013-03-21T09:30:00+01:00</c>); a date alone
    /// (<c>2013-03-21</c>, or a spreadsheet's date cell) is that day's midnight UTC.
    /// </summary>
    public DateTimeOffset? Moment(string field)
    {
        var value = Text(field);
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (value.Length > 10 && value[10] == 'T' && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            return moment.ToUniversalTime(); // as the API's DateTime scalar gives it (PostgreSQL keeps UTC)
        }

        Problems.Add(new ImportProblem(Field(field), "Not a date and time: ISO 8601 (2013-03-21T09:30:00Z) or a date (YYYY-MM-DD)."));
        return null;
    }

    /// <summary>The global id of a record of <paramref name="type"/> (as the API's <c>ID</c> takes it); another value names nothing.</summary>
    public Guid? Id(string field, string type) => IdOf(Text(field), type, Field(field));

    /// <summary>Global ids of records of <paramref name="type"/>, separated by <c>;</c> (or a JSON array).</summary>
    public IReadOnlyList<Guid> Ids(string field, string type)
    {
        var list = new List<Guid>();
        foreach (var (value, i) in List(field).Select((v, i) => (v, i)))
        {
            if (IdOf(value, type, $"{Field(field)}[{i}]") is { } id)
            {
                list.Add(id);
            }
        }

        return list;
    }

    private Guid? IdOf(string? value, string type, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (GlobalId.TryDecode(value, type, out var id))
        {
            return id;
        }

        Problems.Add(new ImportProblem(field, $"Not the id of a record of type {type}."));
        return null;
    }

    /// <summary>An enum value as the API names it (<c>URGENT_APPEAL</c>), case and separators aside.</summary>
    public TEnum? Enum<TEnum>(string field) where TEnum : struct, Enum => EnumOf<TEnum>(Text(field), Field(field));

    /// <summary>Enum values separated by <c>;</c> (or a JSON array), each as <see cref="Enum{TEnum}"/> reads one.</summary>
    public IReadOnlyList<TEnum> Enums<TEnum>(string field) where TEnum : struct, Enum =>
        List(field).Select((value, i) => EnumOf<TEnum>(value, $"{Field(field)}[{i}]")).OfType<TEnum>().ToList();

    private TEnum? EnumOf<TEnum>(string? value, string field) where TEnum : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        var compact = value.Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (System.Enum.TryParse<TEnum>(compact, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(compact, out _))
        {
            return parsed;
        }

        Problems.Add(new ImportProblem(field, $"Not one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(ConstantCase))}."));
        return null;
    }

    /// <summary>A whole number (a spreadsheet's number cell reads as <c>2815</c> or <c>2815.0</c>).</summary>
    public int? WholeNumber(string field)
    {
        var value = Text(field);
        if (value is null)
        {
            return null;
        }

        if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        Problems.Add(new ImportProblem(Field(field), "Not a whole number."));
        return null;
    }

    /// <summary>A value the command needs (an enum, a date): "A value is required." when the row has none (a bad one is already a problem).</summary>
    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null && row.Get(field) is null)
        {
            Problems.Add(new ImportProblem(Field(field), "A value is required."));
        }

        return value;
    }

    /// <summary>A list given as one value separated by <c>;</c> (a JSON array of strings reads the same).</summary>
    public IReadOnlyList<string> List(string field) =>
        Text(field)?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>Runs a check of the module's (its decider, <see cref="WriteClearance"/>); a refusal becomes this row's problem on its field.</summary>
    public T? Guard<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (DomainException e) when (e.Code == ErrorCodes.Validation || e.Code == ErrorCodes.NotFound || e.Code == ErrorCodes.Conflict)
        {
            Problems.Add(new ImportProblem(e.Field is null ? prefix.TrimEnd('.') : prefix + e.Field, e.Message));
            return default;
        }
    }

    public void Guard(Action check) => Guard(() =>
    {
        check();
        return true;
    });

    /// <summary>A look-up of the module's command handler (no write: linked records the caller may see …), as <see cref="Guard{T}"/>.</summary>
    public async Task GuardAsync(Func<Task> check)
    {
        try
        {
            await check();
        }
        catch (DomainException e) when (e.Code == ErrorCodes.Validation || e.Code == ErrorCodes.NotFound || e.Code == ErrorCodes.Conflict)
        {
            Problems.Add(new ImportProblem(e.Field is null ? prefix.TrimEnd('.') : prefix + e.Field, e.Message));
        }
    }

    public static string ConstantCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));
}
