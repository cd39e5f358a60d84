using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Omct.Platform.Accounts.Sessions;

/// <summary>A signed-in session as the server keeps it: the cookie carries only its (protected) id.</summary>
public sealed class AccountSession
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>The absolute end: <c>SessionAbsoluteHours</c> after the sign-in, however used.</summary>
    public DateTimeOffset EndsAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? UserAgent { get; set; }
    public string Method { get; set; } = "";
    public byte[] Ticket { get; set; } = [];

    public bool IsActive(DateTimeOffset now, TimeSpan idle) => RevokedAt is null && now < EndsAt && now < LastSeenAt + idle;
}

/// <summary>
/// Sessions on the server (the cookie handler's <see cref="ITicketStore"/>): a session ends when it is revoked
/// (sign-out, <c>revokeSession</c>, a disabled account), when unused for the idle timeout, or at its absolute end —
/// each checked here on every request, whatever the cookie says.
/// </summary>
internal sealed class SessionTicketStore(IDocumentStore store, TimeProvider time, IOptions<AccountsOptions> options, IHttpContextAccessor http)
    : ITicketStore
{
    /// <summary>The claim of the session id in a session's principal.</summary>
    public const string SessionClaim = "omct:session";

    /// <summary>The method of the sign-in (for the sessions list), an item of the ticket's properties.</summary>
    public const string MethodItem = "omct:method";

    private static readonly TimeSpan SeenGranularity = TimeSpan.FromMinutes(1);

    private TimeSpan Idle => TimeSpan.FromMinutes(options.Value.SessionIdleMinutes);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var now = time.GetUtcNow();
        var accountId = Guid.Parse(ticket.Principal.FindFirst(Identity.AccountPrincipalFactory.AccountIdClaimType)?.Value ?? throw new InvalidOperationException("No account id."));
        var session = new AccountSession
        {
            Id = Guid.CreateVersion7(),
            AccountId = accountId,
            CreatedAt = now,
            LastSeenAt = now,
            EndsAt = now.AddHours(options.Value.SessionAbsoluteHours),
            UserAgent = http.HttpContext?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 300)] : null,
            Method = string.Join(" ", ticket.Principal.FindAll(c => c.Type is "amr" or System.Security.Claims.ClaimTypes.AuthenticationMethod).Select(c => c.Value).Distinct()),
            Ticket = TicketSerializer.Default.Serialize(ticket),
        };
        await using var documents = store.LightweightSession();
        documents.Insert(session);
        await documents.SaveChangesAsync();
        return session.Id.ToString();
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        if (!Guid.TryParse(key, out var id))
        {
            return;
        }

        await using var documents = store.LightweightSession();
        var session = await documents.LoadAsync<AccountSession>(id);
        if (session is null || !session.IsActive(time.GetUtcNow(), Idle))
        {
            return;
        }

        session.Ticket = TicketSerializer.Default.Serialize(ticket);
        session.LastSeenAt = time.GetUtcNow();
        documents.Update(session);
        await documents.SaveChangesAsync();
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!Guid.TryParse(key, out var id))
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var documents = store.LightweightSession();
        var session = await documents.LoadAsync<AccountSession>(id);
        if (session is null || !session.IsActive(now, Idle))
        {
            return null;
        }

        if (now - session.LastSeenAt >= SeenGranularity)
        {
            // The idle timeout counts from the last request (to the minute: one write a minute at most per session).
            session.LastSeenAt = now;
            documents.Update(session);
            await documents.SaveChangesAsync();
        }

        var ticket = TicketSerializer.Default.Deserialize(session.Ticket);
        if (ticket is null)
        {
            return null;
        }

        // Which session this is (me.sessions marks it current; revokeSession may end it).
        if (ticket.Principal.Identity is System.Security.Claims.ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SessionClaim))
        {
            identity.AddClaim(new System.Security.Claims.Claim(SessionClaim, session.Id.ToString()));
        }

        // The cookie's own expiry slides with the server's idle timeout.
        ticket.Properties.ExpiresUtc = now.Add(Idle) < session.EndsAt ? now.Add(Idle) : session.EndsAt;
        return ticket;
    }

    public async Task RemoveAsync(string key)
    {
        if (!Guid.TryParse(key, out var id))
        {
            return;
        }

        await using var documents = store.LightweightSession();
        if (await documents.LoadAsync<AccountSession>(id) is { RevokedAt: null } session)
        {
            session.RevokedAt = time.GetUtcNow();
            documents.Update(session);
            await documents.SaveChangesAsync();
        }
    }

    /// <summary>Ends every session of an account (disabled, second factor reset, password reset).</summary>
    public static async Task RevokeAllAsync(IDocumentSession documents, Guid accountId, DateTimeOffset now)
    {
        foreach (var session in await documents.Query<AccountSession>().Where(s => s.AccountId == accountId && s.RevokedAt == null).ToListAsync())
        {
            session.RevokedAt = now;
            documents.Update(session);
        }
    }
}

internal static class SessionCookies
{
    public static CookieAuthenticationOptions Configure(CookieAuthenticationOptions o, CookieSecurePolicy security, AccountsOptions accounts)
    {
        o.Cookie.Name = BuildingBlocks.Callers.CallerCredentials.SessionCookie;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = security;
        o.Cookie.IsEssential = true;
        o.ExpireTimeSpan = TimeSpan.FromMinutes(accounts.SessionIdleMinutes);
        o.SlidingExpiration = true;
        o.LoginPath = "/account/sign-in";
        o.LogoutPath = "/account/sign-out";
        o.AccessDeniedPath = "/account/sign-in";
        return o;
    }
}
