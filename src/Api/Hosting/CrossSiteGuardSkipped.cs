namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Marks an endpoint that checks who sent a state-changing request in its own way (an anti-forgery token, a link's
/// token, a vendor's signature on a form body), so that <see cref="CrossSiteGuard"/> leaves it to that check.
/// </summary>
public sealed record CrossSiteGuardSkipped(string Because);
