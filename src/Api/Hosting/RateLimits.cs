using System.Globalization;
using System.Threading.RateLimiting;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.ServiceDefaults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// Per-client request limits (ASP.NET Core's rate limiting middleware, a token bucket per client): a client is its API key
/// when keys are configured and it sends a valid one, else its remote address. Over the limit: <c>429</c> with
/// <c>Retry-After</c>. Health endpoints are never limited, so that orchestrators keep seeing the node.
/// Runs before the API-key check, so that guessing keys is limited too.
/// </summary>
public static class RateLimits
{
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(RateLimitOptions.Section);
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new();
        if (!options.Enabled) return builder;
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options));
            limiter.OnRejected = (rejected, _) => Reject(rejected, options);
        });
        return builder;
    }

    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled ? app.UseRateLimiter() : app;

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions options)
    {
        if (context.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
        var keys = context.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Keys;
        var client = context.Request.Headers[ApiKeyMiddleware.Header] is [{ Length: > 0 } key] && keys.Contains(key)
            ? "key:" + key
            : "address:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetTokenBucketLimiter(client, _ => Bucket(options));
    }

    /// <summary>A bucket of <see cref="RateLimitOptions.EffectiveBurst"/> tokens, refilled at <see cref="RateLimitOptions.PermitsPerSecond"/>.</summary>
    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions options)
    {
        var (tokens, period) = options.PermitsPerSecond >= 1
            ? ((int)Math.Round(options.PermitsPerSecond), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(1 / options.PermitsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.EffectiveBurst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask Reject(OnRejectedContext rejected, RateLimitOptions options)
    {
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
            ? retryAfter
            : TimeSpan.FromSeconds(1 / options.PermitsPerSecond);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemAnswers.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This client may make {options.PermitsPerSecond.ToString(CultureInfo.InvariantCulture)} requests a second "
            + $"(bursts of {options.EffectiveBurst}); retry after {seconds} s.");
    }
}
