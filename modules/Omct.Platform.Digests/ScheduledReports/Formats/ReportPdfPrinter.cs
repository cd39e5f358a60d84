using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace Omct.Platform.Digests.ScheduledReports.Formats;

/// <summary>
/// Prints a report's HTML file to PDF with the host's headless Chromium through PuppeteerSharp (never a downloaded browser):
/// <c>Omct:Reports:ChromiumPath</c>, or <c>chromium</c>, <c>chromium-browser</c>, <c>google-chrome</c> on the PATH. One
/// browser per PDF: launched, given the file (JavaScript off, host names unresolvable: the page is the report's own
/// static HTML), printed on A4, closed — and killed when anything fails or takes longer than
/// <c>Omct:Reports:PdfTimeoutSeconds</c>.
/// </summary>
internal sealed class ReportPdfPrinter(IOptions<ReportOptions> options, ILoggerFactory logs)
{
    /// <summary>What a caller and a run are told when there is no Chromium (the same words at create, update and run).</summary>
    public const string Unavailable =
        "The PDF format needs a headless Chromium on the server and none was found: an administrator installs Debian's chromium or sets Omct:Reports:ChromiumPath.";

    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    // The sandbox is off because a container (and a root process) has none to give; the page it protects against is the
    // report's own file, with scripts off and no name resolved.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--mute-audio",
        // PuppeteerSharp joins the arguments into one command line: a value with spaces is quoted.
        "--host-resolver-rules=\"MAP * ~NOTFOUND\"",
    ];

    /// <summary>The Chromium to print with: the setting when given (null when it names no file), else the first on the PATH.</summary>
    public string? Chromium
    {
        get
        {
            if (options.Value.ChromiumPath is { Length: > 0 } path)
            {
                return File.Exists(path) ? path : null;
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(directory => Names.Select(name => Path.Combine(directory, name)))
                .FirstOrDefault(File.Exists);
        }
    }

    public int MaxRows => options.Value.PdfMaxRows;

    /// <summary>Prints <paramref name="htmlPath"/> (a <c>.html</c> file) into <paramref name="pdfPath"/>; a failure throws <see cref="ReportQueryException"/> and leaves the PDF to be discarded.</summary>
    public async Task PrintAsync(string htmlPath, string pdfPath, CancellationToken ct)
    {
        var chromium = Chromium ?? throw new ReportQueryException(Unavailable);
        var seconds = options.Value.PdfTimeoutSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        var milliseconds = seconds * 1000;
        IBrowser? browser = null;
        var closed = false;
        try
        {
            browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = chromium, Headless = true, Args = Arguments, Timeout = milliseconds, ProtocolTimeout = milliseconds,
            }, logs).WaitAsync(timeout.Token);
            var page = await browser.NewPageAsync().WaitAsync(timeout.Token);
            await page.SetJavaScriptEnabledAsync(false).WaitAsync(timeout.Token);
            await page.GoToAsync(new Uri(htmlPath).AbsoluteUri, new NavigationOptions { Timeout = milliseconds, WaitUntil = [WaitUntilNavigation.Load] })
                .WaitAsync(timeout.Token);
            await page.PdfAsync(pdfPath, new PdfOptions
            {
                Format = PaperFormat.A4, PrintBackground = true, PreferCSSPageSize = true, Timeout = milliseconds, DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>",
                FooterTemplate = "<div style=\"font-size:8px;width:100%;text-align:center;color:#555\"><span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>",
                MarginOptions = new MarginOptions { Top = "15mm", Bottom = "15mm", Left = "12mm", Right = "12mm" },
            }).WaitAsync(timeout.Token);
            await browser.CloseAsync().WaitAsync(timeout.Token);
            closed = true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new ReportQueryException(timeout.IsCancellationRequested
                ? $"Chromium did not print the PDF within {seconds} seconds (Omct:Reports:PdfTimeoutSeconds)."
                : $"Chromium could not print the PDF: {e.Message}", e);
        }
        finally
        {
            if (!closed)
            {
                Kill(browser?.Process);
            }

            if (browser is not null)
            {
                try
                {
                    await browser.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
                }
                catch (Exception)
                {
                    // Its process is gone (closed or killed above): what is left of the connection is dropped.
                }
            }
        }
    }

    private static void Kill(Process? process)
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in between.
        }
    }
}
