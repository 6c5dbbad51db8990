using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// An HttpClient that fills in and posts the portal's forms the way a browser would: it reads the
/// form (antiforgery token, _handler name, current values) from the page, so tests only name the
/// fields they change.
/// </summary>
public sealed class PortalClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    public async Task<IHtmlDocument> GetDocumentAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {url} answered {(int)response.StatusCode}, expected {(int)expected}. Location: {response.Headers.Location}");
        return await ParseAsync(html);
    }

    public static async Task<IHtmlDocument> ParseAsync(string html) => await new HtmlParser().ParseDocumentAsync(html);

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await ParseAsync(await response.Content.ReadAsStringAsync());

    /// <summary>
    /// Loads <paramref name="pageUrl"/>, takes the form matching <paramref name="formSelector"/>,
    /// sets <paramref name="values"/> (a list value posts the field once per item, like checkboxes)
    /// and posts it.
    /// </summary>
    public Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, string formSelector, IDictionary<string, object> values) =>
        SubmitFormAsync(pageUrl, page => page.QuerySelector(formSelector) as IHtmlFormElement, values);

    /// <summary>Posts the form a Razor component named <paramref name="formName"/> (FormName / @formname).</summary>
    public Task<HttpResponseMessage> SubmitNamedFormAsync(string pageUrl, string formName, IDictionary<string, object> values,
        Func<IHtmlFormElement, bool>? which = null) =>
        SubmitFormAsync(pageUrl, page => page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .FirstOrDefault(f => f.QuerySelector($"input[name='_handler'][value='{formName}']") is not null && (which?.Invoke(f) ?? true)), values);

    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, Func<IHtmlDocument, IHtmlFormElement?> pick, IDictionary<string, object> values)
    {
        var page = await GetDocumentAsync(pageUrl);
        var form = pick(page) ?? throw new InvalidOperationException($"the form is not on {pageUrl}");
        var fields = ReadFields(form);
        foreach (var (name, value) in values)
        {
            fields.RemoveAll(f => f.Key == name);
            if (value is not string && value is IEnumerable<string> many)
                fields.AddRange(many.Select(v => new KeyValuePair<string, string>(name, v)));
            else
                fields.Add(new(name, value.ToString() ?? ""));
        }
        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? pageUrl : action;
        return await Http.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    /// <summary>
    /// Posts the named form as multipart/form-data, the way a browser sends a form with file
    /// inputs: the form's own fields plus <paramref name="values"/> and the <paramref name="files"/>
    /// (field name → file name and bytes).
    /// </summary>
    public async Task<HttpResponseMessage> SubmitNamedMultipartFormAsync(string pageUrl, string formName, IDictionary<string, string> values,
        IDictionary<string, (string FileName, byte[] Content)> files)
    {
        var page = await GetDocumentAsync(pageUrl);
        var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .FirstOrDefault(f => f.QuerySelector($"input[name='_handler'][value='{formName}']") is not null)
            ?? throw new InvalidOperationException($"the form {formName} is not on {pageUrl}");
        var fields = ReadFields(form);
        fields.RemoveAll(f => values.ContainsKey(f.Key) || files.ContainsKey(f.Key));
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields.Concat(values))
            content.Add(new StringContent(value), name);
        foreach (var (name, (fileName, bytes)) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, name, fileName);
        }
        var action = form.GetAttribute("action");
        return await Http.PostAsync(string.IsNullOrEmpty(action) ? pageUrl : action, content);
    }

    /// <summary>
    /// A POST of a form the user was never shown, the way someone crafts one by hand: a valid antiforgery
    /// token taken from <paramref name="tokenPage"/> (signed-in pages carry one in the layout's sign-out
    /// form; anonymous visitors find one on the sign-in page), the Razor form name when
    /// <paramref name="formName"/> is given, and <paramref name="values"/>.
    /// </summary>
    public async Task<HttpResponseMessage> PostHandMadeAsync(string url, string? formName, IEnumerable<KeyValuePair<string, string>> values,
        string tokenPage = "/")
    {
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", await AntiforgeryTokenAsync(tokenPage)) };
        if (formName is not null)
            fields.Add(new("_handler", formName));
        fields.AddRange(values);
        return await Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    /// <summary>This client's antiforgery token, as found in the first form of <paramref name="page"/> that carries one.</summary>
    public async Task<string> AntiforgeryTokenAsync(string page = "/") =>
        (await GetDocumentAsync(page)).QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
        ?? throw new InvalidOperationException($"no antiforgery token on {page}");

    /// <summary>The fields a browser would post for <paramref name="form"/> as it stands (file inputs travel as files, not here).</summary>
    public static List<KeyValuePair<string, string>> ReadFields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name))
                continue;
            switch (element)
            {
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                        fields.Add(new(name, input.Value));
                    break;
                case IHtmlInputElement input when input.Type is "submit" or "button" or "file":
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
            }
        }
        return fields;
    }

    public Task<HttpResponseMessage> SignInAsync(string userName, string password) =>
        SubmitNamedFormAsync("/account/login", "login",
            new Dictionary<string, object> { ["Input.UserName"] = userName, ["Input.Password"] = password });

    public void Dispose() => Http.Dispose();
}

public static class DocumentExtensions
{
    /// <summary>
    /// Where a redirect leads, as a path and query on the portal; fails if it leaves the portal.
    /// Razor components answer with absolute URLs, the cookie handler with relative ones.
    /// </summary>
    public static string LocalTarget(this HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"{(int)response.StatusCode} is not a redirect");
        var portal = response.RequestMessage!.RequestUri!;
        var target = new Uri(portal, location);
        Assert.Equal(portal.Authority, target.Authority);
        return target.PathAndQuery;
    }

    public static string TextOf(this IParentNode document, string selector) =>
        document.QuerySelector(selector)?.TextContent.Trim() ?? throw new InvalidOperationException($"nothing matches '{selector}'");
}
