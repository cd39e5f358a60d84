using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Omct.Platform.Access;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.Digests;
using Omct.Platform.Integration.Webhooks;
using Omct.Platform.Reminders;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>
/// The one validated-options helper: a section bound once, checked with DataAnnotations (attributes and
/// IValidatableObject), refused at composition and on start with messages naming each setting in both forms.
/// </summary>
public sealed class ValidatedSectionTests
{
    [Fact]
    public void A_range_attribute_names_the_setting_in_both_forms_with_its_range_and_value()
    {
        var errors = ValidatedSections.Errors(new WebhookOptions { BatchSize = 0, Parallelism = 33 }, WebhookOptions.Section);

        Assert.Equal(
        [
            "Omct:Webhooks:BatchSize (Omct__Webhooks__BatchSize) must be from 1 to 1000, not 0.",
            "Omct:Webhooks:Parallelism (Omct__Webhooks__Parallelism) must be from 1 to 32, not 33.",
        ], errors);
    }

    [Fact]
    public void A_rule_in_code_names_its_settings_in_both_forms_one_or_several()
    {
        var smtp = new SmtpOptions { Host = "mail.example.org", Port = 0, From = "not an address", Username = "digests" };

        Assert.Equal(
        [
            "Omct:Smtp:Port (Omct__Smtp__Port) must be from 1 to 65535, not 0.",
            "Omct:Smtp:From (Omct__Smtp__From) must be the sender's e-mail address when Omct:Smtp:Host is set.",
            "Omct:Smtp:Username and Omct:Smtp:Password (Omct__Smtp__Username, Omct__Smtp__Password) are given together or not at all.",
        ], ValidatedSections.Errors(smtp, SmtpOptions.Section));
        Assert.Empty(ValidatedSections.Errors(new SmtpOptions { Port = 0 }, SmtpOptions.Section)); // no host: mail is off
    }

    [Fact]
    public void A_list_setting_is_named_with_its_numbered_environment_form()
    {
        var errors = ValidatedSections.Errors(new ReminderOptions { DeadlineLeadDays = [400] }, ReminderOptions.Section);

        Assert.Equal(["Omct:Reminders:DeadlineLeadDays (Omct__Reminders__DeadlineLeadDays__0, __1 …) must list days from 0 to 365."], errors);
    }

    [Fact]
    public void A_secret_is_named_but_never_printed()
    {
        var errors = ValidatedSections.Errors(new SecurityOptions { BootstrapAdminApiKey = "short-secret" }, SecurityOptions.Section);

        var error = Assert.Single(errors);
        Assert.Equal("Omct:Security:BootstrapAdminApiKey (Omct__Security__BootstrapAdminApiKey) must be at least 16 characters long.", error);
        Assert.DoesNotContain("short-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_is_refused_at_composition_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Omct:Digests:Cron"] = "every morning" })
            .Build();

        var failure = Assert.Throws<OptionsValidationException>(
            () => new ServiceCollection().AddValidatedSection<DigestOptions>(configuration, DigestOptions.Section));

        Assert.Contains("Omct:Digests:Cron (Omct__Digests__Cron) is not a Quartz cron expression", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_section_is_bound_once_for_composition_and_options_and_validated_again_on_start()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Omct:Webhooks:BatchSize"] = "3";

        var composed = builder.Services.AddValidatedSection<WebhookOptions>(builder.Configuration, WebhookOptions.Section);
        Assert.Equal(3, composed.BatchSize);
        using (var host = builder.Build())
        {
            Assert.Equal(3, host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.BatchSize);
        }

        var later = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        later.Configuration["Omct:Webhooks:BatchSize"] = "3";
        later.Services.AddValidatedSection<WebhookOptions>(later.Configuration, WebhookOptions.Section);
        later.Configuration["Omct:Webhooks:BatchSize"] = "5000"; // changed after composition: ValidateOnStart still refuses it
        using var refused = later.Build();
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => refused.StartAsync());
        Assert.Contains("Omct:Webhooks:BatchSize (Omct__Webhooks__BatchSize) must be from 1 to 1000, not 5000.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_form_is_the_path_with_double_underscores()
    {
        Assert.Equal("Omct__Digests__Smtp__Port", ValidatedSections.EnvironmentName("Omct:Digests:Smtp:Port"));
        Assert.Equal("Omct:Smtp:Port (Omct__Smtp__Port)", ValidatedSections.Describe("Omct:Smtp:Port"));
    }
}
