using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.ServiceDefaults;

namespace AssistanceRouter.Api.Slack;

/// <summary>
/// <c>POST /slack/interactions</c>, the Request URL of the Slack app's interactivity: button presses from Slack's
/// servers. No API key (<see cref="Hosting.ApiKeyMiddleware"/> lets it through): the signature is the authority, and
/// it is checked over the raw bytes before anything is read from them. A request Slack did not sign, or signed more
/// than five minutes ago, is <c>401</c> and logged as a refusal only (never its body or headers). The answer goes
/// within Slack's 3 seconds: a press that takes longer goes on after it, and the loser's reply always goes after it.
/// </summary>
public static partial class SlackInteractionsApi
{
    public const string Route = "/slack/interactions";

    /// <summary>Well above a block_actions payload (it carries the message, at most 50 blocks of 3,000 characters).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>What Slack's 3-second limit leaves after the network: past it, the press finishes after the answer.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddSlackInteractions(this IServiceCollection services)
    {
        services.AddDeliveryHttpClient();
        services.AddSingleton<SlackApps>();
        services.AddSingleton<SlackReplays>();
        services.AddSingleton<SlackPresses>();
        return services;
    }

    public static IEndpointRouteBuilder MapSlackInteractions(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, Interact).WithName("SlackInteraction").ExcludeFromDescription()
            .WithSummary("A Slack app's button press, signed by Slack with the app's signing secret")
            // A form from Slack's servers: its signature, checked here, is what says who sent it.
            .SkipCrossSiteGuard("signed by Slack with the app's signing secret");
        return app;
    }

    private static async Task<IResult> Interact(
        HttpContext context, SlackApps apps, SlackReplays replays, SlackPresses presses, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SlackInteractionsApi));
        var body = await ReadAtMostAsync(context.Request.Body, MaxBodyBytes, context.RequestAborted);
        if (body is null)
            return ProblemAnswers.Problem(StatusCodes.Status413PayloadTooLarge, null, $"An interaction is at most {MaxBodyBytes} bytes.");
        var signature = context.Request.Headers[SlackSignature.SignatureHeader] is [{ } given] ? given : null;
        if (!SlackSignature.IsValid(context.Request.Headers[SlackSignature.TimestampHeader] is [{ } at] ? at : null, signature, body, apps.SigningSecrets, time.GetUtcNow()))
        {
            LogRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return ProblemAnswers.Problem(StatusCodes.Status401Unauthorized, null,
                $"Not signed by this Slack app within the last {SlackSignature.MaxAge.TotalMinutes} minutes ({SlackSignature.SignatureHeader}, {SlackSignature.TimestampHeader}).");
        }
        if (!replays.FirstTime(signature!))
            return ProblemAnswers.Problem(StatusCodes.Status409Conflict, "Already received", "This signed interaction was received before; it changes nothing twice.");
        if (context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            return ProblemAnswers.Problem(StatusCodes.Status415UnsupportedMediaType, null, "Slack sends interactions as application/x-www-form-urlencoded.");
        var (press, problem) = SlackPress.Read(body);
        if (press is null) return ProblemAnswers.Problem(StatusCodes.Status400BadRequest, "Not a press of this app's buttons", problem);

        var acting = presses.ActAsync(press);
        try
        {
            await acting.WaitAsync(AnswerWithin, time, context.RequestAborted);
        }
        catch (TimeoutException)
        {
            // Slack is answered now; the press goes on and its reply, if any, follows.
        }
        _ = FollowUp(acting, press, presses, logger);
        return TypedResults.Ok();
    }

    /// <summary>After the answer: the loser hears why. A press that failed is logged; Slack shows the presser nothing changed.</summary>
    private static async Task FollowUp(Task<string?> acting, SlackPress press, SlackPresses presses, ILogger logger)
    {
        string? reply;
        try
        {
            reply = await acting;
        }
        catch (Exception ex)
        {
            LogPressFailed(logger, ex, press.Action, press.RequestId);
            reply = "The press could not be recorded just now; nothing changed. Press again in a moment.";
        }
        if (reply is not null) await presses.ReplyAsync(press.ResponseUrl, reply);
    }

    /// <summary>The body's bytes as sent (the signature covers them exactly), or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (await body.ReadAsync(chunk, cancellationToken) is > 0 and var read)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Slack interaction from {Remote}: not signed by a configured Slack app, or not within 5 minutes")]
    private static partial void LogRefused(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Error, Message = "A Slack press ({Action}) on request {RequestId} failed")]
    private static partial void LogPressFailed(ILogger logger, Exception exception, string action, Guid requestId);
}
