using AssistanceRouter.Api.Inbox;
using AssistanceRouter.Api.Links;
using AssistanceRouter.Api.SignIn;
using AssistanceRouter.Grains.Links;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Pages;

/// <summary>The pages for people: the link pages of notices, the inbox, sign-in; their cookies and anti-forgery.</summary>
public static class PagesSetup
{
    public const string ApplicationName = "AssistanceRouter";

    public static WebApplicationBuilder AddBrowserPages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTakeLinks();
        services.AddInbox();
        var listening = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey)?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        services.AddOptions<LinksOptions>().PostConfigure<ILogger<TakeLinks>>((o, logger) => o.PublicUrl ??= Reachable(listening, logger)?.AbsoluteUri);
        // Cookies and anti-forgery tokens must open on every API node: their keys live in the cluster, like the links' key.
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new ClusterKeyRing(sp.GetRequiredService<IGrainFactory>())));

        // Secure on https. Behind a proxy that ends TLS, ASPNETCORE_FORWARDEDHEADERS_ENABLED=true lets the request say so.
        const CookieSecurePolicy secure = CookieSecurePolicy.SameAsRequest;
        services.AddAuthentication().AddCookie(BrowserSignIn.Scheme, o => BrowserSignIn.ConfigureCookie(o, secure));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "AssistanceRouter.Antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.FormFieldName = Forms.TokenField;
            o.HeaderName = Forms.TokenHeader;
            o.SuppressXFrameOptionsHeader = true; // the security headers say it for every answer
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapBrowserPages(this IEndpointRouteBuilder app)
    {
        app.MapPageAssets();
        app.MapBrowserSignIn();
        app.MapTakePage();
        app.MapInbox();
        var services = app.ServiceProvider;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => DefaultPublicUrl(services));
        return app;
    }

    /// <summary>
    /// Without <c>Api:PublicUrl</c>, links point at the first address this API listens on, so that a single node needs no
    /// setting: known from <c>--urls</c> before anything is sent, or from the server once it listens (a port chosen at start).
    /// </summary>
    private static void DefaultPublicUrl(IServiceProvider services)
    {
        var links = services.GetRequiredService<TakeLinks>();
        if (links.PublicUrl is null && services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address)
            links.PublicUrl = Reachable(address, services.GetRequiredService<ILogger<TakeLinks>>());
    }

    /// <summary>A listening address as people can reach it: a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) becomes <c>localhost</c>.</summary>
    public static Uri? Reachable(string? address, ILogger logger)
    {
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var url) || url.Port == 0)
            return null;
        if (url.Host is "0.0.0.0" or "[::]" or "::")
            url = new UriBuilder(url) { Host = "localhost" }.Uri;
        if (url.Host == "localhost" && !address.Contains("localhost", StringComparison.Ordinal))
            logger.LogWarning("Take it links point at {Url}, which only this machine reaches: set Api__PublicUrl to the address people use", url);
        return url;
    }
}
