using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Omct.Platform.Accounts.Pages;

/// <summary>Minimal server-rendered pages (no inline script but the passkey page's own file; the console will use the same endpoints as JSON).</summary>
internal static class AccountPages
{
    public static IResult Html(HttpContext http, string title, string body, int status = 200, string head = "")
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(Encode(title)).Append(" — OMCT platform</title>")
            .Append("<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#a00}code{word-break:break-all}</style>")
            .Append(head).Append("</head><body><main><h1>").Append(Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'";
        http.Response.Headers.XFrameOptions = "DENY";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A form posting to <paramref name="action"/> with the antiforgery field.</summary>
    public static string Form(HttpContext http, string action, string fields, string submit, string? id = null)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<form method=\"post\" action=\"{Encode(action)}\"{(id is null ? "" : $" id=\"{id}\"")}>" +
               $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">" +
               fields + $"<button type=\"submit\">{Encode(submit)}</button></form>";
    }

    public static string Field(string label, string name, string type = "text", string? autocomplete = null, string? value = null) =>
        $"<label>{Encode(label)}<input name=\"{name}\" type=\"{type}\"{(autocomplete is null ? "" : $" autocomplete=\"{autocomplete}\"")}{(value is null ? "" : $" value=\"{Encode(value)}\"")}></label>";

    public static string Error(string? message) => message is null ? "" : $"<p class=\"error\" role=\"alert\">{Encode(message)}</p>";
}
