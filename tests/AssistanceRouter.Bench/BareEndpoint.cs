namespace AssistanceRouter.Bench;

/// <summary>
/// Figure 2's ceiling: <c>POST /benchmark/bare</c> answers 202 through the node's whole pipeline (request log, headers,
/// limits, keys, routing) without storing anything, so that the cost of accepting a request can be told apart from the
/// cost of HTTP.
/// </summary>
public sealed class BareEndpoint : IStartupFilter
{
    public const string Path = "/benchmark/bare";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        // After the node's own pipeline, which passes on a request that matched none of its endpoints.
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.MapPost(Path, () => TypedResults.Accepted(Path)).ExcludeFromDescription());
    };
}
