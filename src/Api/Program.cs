using AssistanceRouter.Api.ApiDocument;
using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Channels;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Api.Slack;
using AssistanceRouter.Api.Topics;
using AssistanceRouter.ServiceDefaults;

return NodeProgram.Run(args, Program.DefaultUrl,
    builder =>
    {
        builder.AddOrleans();
        builder.AddServiceDefaults();
        builder.AddErrorHandling();
        builder.AddApiJson();
        builder.AddApiKeys();
        builder.AddRateLimits();
        builder.AddRequestLogging();
        builder.AddSubmissionServices();
        builder.AddApiDocument();
        builder.AddBrowserPages();
        builder.Services.AddSlackInteractions();
    },
    app =>
    {
        app.UseApiPipeline();
        app.UseApiDocument();
        app.MapApiDocument();
        app.MapAssistanceRequestsApi();
        app.MapTopicsApi();
        app.MapChannelsApi();
        app.MapDefaultEndpoints();
        app.MapBrowserPages();
        app.MapSlackInteractions();
    });

public partial class Program
{
    /// <summary>The address bots already call; <c>--urls</c> or <c>ASPNETCORE_URLS</c> override it.</summary>
    public const string DefaultUrl = "http://localhost:8000";
}
