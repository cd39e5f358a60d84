using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Omct.Platform.Accounts.Contracts;
using Omct.Platform.Accounts.GraphQL;
using Omct.Platform.Accounts.Identity;
using Omct.Platform.Accounts.Links;
using Omct.Platform.Accounts.OpenIdConnect;
using Omct.Platform.Accounts.Pages;
using Omct.Platform.Accounts.Sessions;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;

namespace Omct.Platform.Accounts;

/// <summary>
/// Staff accounts: ASP.NET Core Identity on Marten (<see cref="MartenUserStore"/>), cookie sessions kept on the server
/// (<see cref="SessionTicketStore"/>) that join the host's authentication pipeline as one more credential, the
/// sign-in pages, one-time links by e-mail, the account's GraphQL fields and the first administrator.
/// </summary>
internal sealed class AccountsModule : PlatformModule
{
    public override string Name => "accounts";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSection<AccountsOptions>(configuration, AccountsOptions.Section);
        var accounts = configuration.GetSection(AccountsOptions.Section).Get<AccountsOptions>() ?? new AccountsOptions();

        var oidc = services.AddValidatedSection<OpenIdConnectSettings>(configuration, OpenIdConnectSettings.Section);
        // The provider's claims mean what they mean for bearer tokens (Omct:Security:Jwt:RoleClaim, …).
        services.AddOptions<CallerClaimMapping>().Bind(configuration.GetSection(CallerClaimMapping.Section));

        services.AddHttpContextAccessor();
        services.AddSingleton<SessionCookieScheme>();
        services.AddScoped<IUserStore<Account>, MartenUserStore>();
        services.AddIdentityCore<Account>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = null!;
                // Length and the common-password list (PasswordRules) only: no composition rules.
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts.LockoutMinutes);
                o.ClaimsIdentity.UserIdClaimType = AccountPrincipalFactory.AccountIdClaimType;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddSignInManager<AccountSignInManager>()
            .AddClaimsPrincipalFactory<AccountPrincipalFactory>()
            .AddPasswordValidator<PasswordRules>()
            .AddTokenProvider<AuthenticatorTokenProvider<Account>>(TokenOptions.DefaultAuthenticatorProvider);
        services.TryAddScoped<IPasskeyHandler<Account>, PasskeyHandler<Account>>();
        services.AddScoped<AccountService>();
        services.AddScoped<AccountAudit>();
        services.AddScoped<AccountCommands>();
        services.AddSingleton<SessionTicketStore>();
        services.AddSingleton<ICallerFields, AccountCallerFields>();
        services.AddSingleton<AccountCallers>();
        services.AddSingleton<IAccountCallers>(sp => sp.GetRequiredService<AccountCallers>());
        services.AddSingleton<IAccountHandles>(sp => sp.GetRequiredService<AccountCallers>());
        services.AddSingleton<IAccountAddresses>(sp => sp.GetRequiredService<AccountCallers>());
        services.AddHostedService<FirstAdministrator>();

        services.AddAuthentication()
            .AddScheme<CookieAuthenticationOptions, SessionCookieHandler>(CallerCredentials.SessionScheme, null)
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme, o =>
            {
                o.Cookie.Name = "omct_second_factor";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            });
        if (oidc.Enabled)
        {
            OpenIdConnectSignIn.Register(services, services.AddAuthentication(), oidc);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookieAuthenticationOptions>, PostConfigureCookieAuthenticationOptions>());
        services.AddOptions<CookieAuthenticationOptions>(CallerCredentials.SessionScheme)
            .Configure<SessionTicketStore, IWebHostEnvironment, IOptions<AccountsOptions>>((o, tickets, environment, settings) =>
            {
                SessionCookies.Configure(o, settings.Value.CookieSecurity(environment), settings.Value);
                o.SessionStore = tickets;
                o.Events.OnValidatePrincipal = SessionCookieHandler.ValidateAsync;
                // An API never redirects: the pipeline's policies answer 401/403 in the contract's format.
                o.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme)
            .Configure<IWebHostEnvironment, IOptions<AccountsOptions>>((o, environment, settings) =>
                o.Cookie.SecurePolicy = settings.Value.CookieSecurity(environment));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CallerCredentials.AntiforgeryHeader;
            o.Cookie.Name = "omct_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>()
            .Configure<IWebHostEnvironment, IOptions<AccountsOptions>>((o, environment, settings) =>
                o.Cookie.SecurePolicy = settings.Value.CookieSecurity(environment));
        services.AddSingleton<INodeResolver, AccountNodeResolver>();
    }

    public override void ConfigureMarten(Marten.StoreOptions options)
    {
        options.Schema.For<Account>().DocumentAlias("accounts_account")
            .UseOptimisticConcurrency(true)
            .UniqueIndex(a => a.NormalizedEmail)
            .Index(a => a.Role);
        options.Schema.For<AccountSession>().DocumentAlias("accounts_session").Index(s => s.AccountId);
        options.Schema.For<PendingAuthenticator>().DocumentAlias("accounts_pending_authenticator");
        options.Schema.For<OneTimeLink>().DocumentAlias("accounts_link").UseOptimisticConcurrency(true).Index(l => l.AccountId);
        options.Events.MapEventType<AccountInvited>("accounts.account_invited");
        options.Events.MapEventType<AccountSignedIn>("accounts.signed_in");
        options.Events.MapEventType<AccountSignInFailed>("accounts.sign_in_failed");
        options.Events.MapEventType<AccountLockedOut>("accounts.locked_out");
        options.Events.MapEventType<AccountSignedOut>("accounts.signed_out");
        options.Events.MapEventType<AccountPasswordSet>("accounts.password_set");
        options.Events.MapEventType<AccountAuthenticatorEnrolled>("accounts.authenticator_enrolled");
        options.Events.MapEventType<AccountRecoveryCodesRegenerated>("accounts.recovery_codes_regenerated");
        options.Events.MapEventType<AccountRecoveryCodeUsed>("accounts.recovery_code_used");
        options.Events.MapEventType<AccountPasskeyAdded>("accounts.passkey_added");
        options.Events.MapEventType<AccountPasskeyRemoved>("accounts.passkey_removed");
        options.Events.MapEventType<AccountSessionRevoked>("accounts.session_revoked");
        options.Events.MapEventType<AccountRoleChanged>("accounts.role_changed");
        options.Events.MapEventType<AccountClearanceChanged>("accounts.clearance_changed");
        options.Events.MapEventType<AccountDisabled>("accounts.disabled");
        options.Events.MapEventType<AccountSecondFactorReset>("accounts.second_factor_reset");
        options.Events.MapEventType<AccountLinkSent>("accounts.link_sent");
        options.Events.MapEventType<AccountCreatedFromProvider>("accounts.account_created_from_provider");
    }

    public override void AddQueryFields(ObjectGraphType query) => AccountQueries.Register(query);

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<AccountMutations>();

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => AccountEndpoints.Map(endpoints);
}

public static class AccountsModuleRegistration
{
    public static IServiceCollection AddAccountsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new AccountsModule(), configuration);
}
