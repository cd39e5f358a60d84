using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Omct.Platform.Reminders.CalendarFeeds;

/// <summary>
/// A person's iCalendar feed: one per account (<see cref="Id"/> is the caller id, <c>user:&lt;account id&gt;</c>).
/// Only the SHA-256 of the secret in the URL is kept; revoking deletes the document, so the URL answers 404 at once.
/// </summary>
public sealed class CalendarFeed
{
    public string Id { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the URL's secret.</summary>
    public string SecretHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>What the URL's secret starts with, to recognise it in a calendar application.</summary>
    public string Prefix { get; set; } = "";
}

/// <summary>The secret of a feed URL: 256 random bits, URL-safe; stored only as its hash.</summary>
internal static class CalendarFeedSecret
{
    private const string Marker = "ical_";
    private static readonly SearchValues<char> UrlSafe = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Generate() =>
        Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string PrefixOf(string secret) => secret[..Math.Min(secret.Length, Marker.Length + 6)];

    /// <summary>Only what <see cref="Generate"/> can produce is looked up (a bounded, URL-safe string).</summary>
    public static bool LooksValid(string secret) =>
        secret.Length is > 20 and < 80 && secret.StartsWith(Marker, StringComparison.Ordinal)
        && secret.AsSpan(Marker.Length).IndexOfAnyExcept(UrlSafe) < 0;
}
