using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// The Orleans Dashboard as this product serves it: its live log stream (<c>/dashboard/Trace</c>) off unless
/// <c>Orleans:Dashboard:Trace</c> is true, and a malformed silo address in its routes a 400 instead of a 500.
/// </summary>
public static class DashboardSetup
{
    public const string RoutePrefix = "/dashboard";

    public const string TraceKey = "Orleans:Dashboard:Trace";

    /// <summary>The dashboard's routes whose rest is a silo address.</summary>
    private static readonly string[] SiloRoutes = ["HistoricalStats", "SiloProperties", "SiloMetadata", "SiloStats", "SiloCounters"];

    public static Action<DashboardOptions> Options(IConfiguration configuration) =>
        options => options.HideTrace = !configuration.GetValue<bool>(TraceKey);

    /// <summary>Maps the dashboard under <see cref="RoutePrefix"/>, kept out of the API document.</summary>
    public static RouteGroupBuilder MapAssistanceRouterDashboard(this IEndpointRouteBuilder endpoints)
    {
        var dashboard = endpoints.MapOrleansDashboard(routePrefix: RoutePrefix);
        dashboard.ExcludeFromDescription();
        dashboard.AddEndpointFilter(async (context, next) =>
        {
            var path = context.HttpContext.Request.Path;
            foreach (var route in SiloRoutes)
            {
                if (path.StartsWithSegments($"{RoutePrefix}/{route}", out var address) && !IsSiloAddress(address.Value?.TrimStart('/') ?? ""))
                    return ProblemAnswers.Problem(StatusCodes.Status400BadRequest, "Bad request",
                        "That is not a silo address (the dashboard's silo pages name one, such as 10.0.0.4:11111@123456789).");
            }
            return await next(context);
        });
        return dashboard;
    }

    private static bool IsSiloAddress(string text)
    {
        try
        {
            return SiloAddress.FromParsableString(text) is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}
