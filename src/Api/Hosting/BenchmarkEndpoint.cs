namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// The benchmark's ceiling (<c>./bench.sh</c>): the same pipeline answering 202 without storing anything, so that the
/// cost of accepting a request can be told apart from the cost of HTTP. Off unless <c>Benchmark:BareEndpoint</c> is true.
/// </summary>
public static class BenchmarkEndpoint
{
    public static WebApplication MapBenchmarkEndpoint(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("Benchmark:BareEndpoint"))
            app.MapPost("/benchmark/bare", () => TypedResults.Accepted("/benchmark/bare")).ExcludeFromDescription();
        return app;
    }
}
