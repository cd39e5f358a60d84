using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Omct.Platform.BuildingBlocks.Configuration;

/// <summary>
/// The one way a configuration section becomes options: bound once from its path, checked with
/// DataAnnotations (attributes on the properties, and <see cref="IValidatableObject"/> for rules that span
/// settings or need code), refused at start-up with messages that name each setting in both of its forms —
/// <c>Omct:Smtp:Port (Omct__Smtp__Port)</c> — written from the section path, never by hand.
/// </summary>
public static class ValidatedSections
{
    /// <summary>
    /// Binds <paramref name="section"/> to <typeparamref name="T"/> as <c>IOptions&lt;T&gt;</c>, validated on start
    /// (<c>ValidateOnStart</c>) and now: the returned value is what the host will use, for what composition
    /// needs at once (schedules, limits); a bad value throws <see cref="OptionsValidationException"/> naming it.
    /// </summary>
    public static T AddValidatedSection<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, new()
    {
        var validator = new SectionValidator<T>(section);
        services.AddSingleton<IValidateOptions<T>>(validator);
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        return Read(configuration, section, validator);
    }

    /// <summary>Reads and checks a section without registering it (what the options would be).</summary>
    public static T Read<T>(IConfiguration configuration, string section)
        where T : class, new() => Read(configuration, section, new SectionValidator<T>(section));

    /// <summary>What is wrong with <paramref name="options"/> as the section at <paramref name="section"/>: one message per problem.</summary>
    public static IReadOnlyList<string> Errors<T>(T options, string section)
        where T : class => SectionValidator<T>.Errors(options, section);

    /// <summary><c>Omct:Smtp:Port</c> → <c>Omct__Smtp__Port</c>: the name of a setting in the environment.</summary>
    public static string EnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);

    /// <summary><c>Omct:Smtp:Port (Omct__Smtp__Port)</c>: a setting in both of its forms, for a message.</summary>
    public static string Describe(string setting) => $"{setting} ({EnvironmentName(setting)})";

    private static T Read<T>(IConfiguration configuration, string section, SectionValidator<T> validator)
        where T : class, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures) : options;
    }
}

/// <summary>The DataAnnotations check of one section, its messages naming the settings by their full path.</summary>
internal sealed class SectionValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = Errors(options, section);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Errors(T options, string section)
    {
        var errors = new List<string>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetIndexParameters().Length == 0 ? property.GetValue(options) : null;
            var setting = Setting(section, property.Name);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = setting };
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                if (attribute.GetValidationResult(value, context) is { } failure && failure != ValidationResult.Success)
                {
                    errors.Add(attribute is RangeAttribute range && attribute.ErrorMessage is null
                        ? string.Create(CultureInfo.InvariantCulture, $"{setting} must be from {range.Minimum} to {range.Maximum}, not {value}.")
                        : failure.ErrorMessage ?? $"{setting} is not valid.");
                }
            }
        }

        if (options is IValidatableObject validatable)
        {
            foreach (var failure in validatable.Validate(new ValidationContext(options)))
            {
                var members = failure.MemberNames.ToList();
                errors.Add(members.Count == 0
                    ? $"{ValidatedSections.Describe(section)} {failure.ErrorMessage}"
                    : $"{string.Join(" and ", members.Select(m => $"{section}:{m}"))} ({string.Join(", ", members.Select(m => EnvironmentForm(section, m)))}) {failure.ErrorMessage}");
            }
        }

        return errors;
    }

    /// <summary>The setting of a property in both forms; a list's items are numbered (<c>__0, __1 …</c>).</summary>
    private static string Setting(string section, string member) => $"{section}:{member} ({EnvironmentForm(section, member)})";

    private static string EnvironmentForm(string section, string member)
    {
        var name = ValidatedSections.EnvironmentName($"{section}:{member}");
        var type = typeof(T).GetProperty(member)?.PropertyType;
        return type is not null && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !IsDictionary(type)
            ? $"{name}__0, __1 …"
            : name;
    }

    private static bool IsDictionary(Type type) => typeof(IDictionary).IsAssignableFrom(type);
}
