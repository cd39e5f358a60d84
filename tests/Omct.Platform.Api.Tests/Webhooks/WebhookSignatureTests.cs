using System.Text;
using Omct.Platform.BuildingBlocks.Webhooks;
using Xunit;

namespace Omct.Platform.Api.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"deliveryId":"d-1","changes":[]}""");

    [Fact]
    public void A_signature_verifies_with_the_secret_and_the_exact_body_within_the_tolerance()
    {
        var secret = WebhookSignature.NewSecret();
        var header = WebhookSignature.Sign(secret, At, Body);
        Assert.Matches("^t=1796126400,v1=[0-9a-f]{64}$", header);

        Assert.True(WebhookSignature.Verify(secret, header, Body, At.AddMinutes(4)));
        Assert.False(WebhookSignature.Verify(secret, header, Body, At.AddMinutes(6)));                 // replayed too late
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), header, Body, At));         // another secret
        Assert.False(WebhookSignature.Verify(secret, header, Encoding.UTF8.GetBytes("""{"deliveryId":"d-2","changes":[]}"""), At));
        Assert.False(WebhookSignature.Verify(secret, header.Replace("t=1796126400", "t=1796126460", StringComparison.Ordinal), Body, At));
        Assert.False(WebhookSignature.Verify(secret, "v1=abc", Body, At));
        Assert.False(WebhookSignature.Verify(secret, null, Body, At));
    }

    [Fact]
    public void The_signature_is_hmac_sha256_of_the_timestamp_and_the_body()
    {
        // Receivers implement it independently: "{t}.{body}" with the secret as the key.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("whsec_test"), Encoding.UTF8.GetBytes("1796126400." + Encoding.UTF8.GetString(Body))));
        Assert.Equal($"t=1796126400,v1={expected}", WebhookSignature.Sign("whsec_test", At, Body));
    }

    [Theory]
    [InlineData("https://example.org/hooks", false, true)]
    [InlineData("http://127.0.0.1:9000/hooks", true, true)]
    [InlineData("http://example.org/hooks", false, false)]
    [InlineData("ftp://example.org/hooks", true, false)]
    [InlineData("https://user:pass@example.org/hooks", false, false)]
    [InlineData("/relative", true, false)]
    public void Endpoints_are_absolute_https_unless_http_is_allowed(string url, bool allowHttp, bool valid) =>
        Assert.Equal(valid, WebhookRetryPolicy.CheckEndpoint(url, allowHttp) is null);

    [Fact]
    public void Retries_back_off_exponentially_up_to_an_hour()
    {
        var random = new Random(7);
        var first = WebhookRetryPolicy.NextAttemptAt(1, At, random) - At;
        var third = WebhookRetryPolicy.NextAttemptAt(3, At, random) - At;
        var late = WebhookRetryPolicy.NextAttemptAt(20, At, random) - At;
        Assert.InRange(first.TotalSeconds, 30, 36);
        Assert.InRange(third.TotalSeconds, 120, 144);
        Assert.InRange(late.TotalSeconds, 3600, 4320);
    }
}
