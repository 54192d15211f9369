using AssistanceRouter.Api.ApiDocument;
using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Channels;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Api.Topics;
using AssistanceRouter.ServiceDefaults;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddOrleans();
    builder.AddServiceDefaults();
    builder.AddApiServices();
    builder.AddApiDocument();
    builder.AddBrowserPages();

    var app = builder.Build();
    app.CheckConfiguration();

    app.UseApiPipeline();
    app.UseApiDocument();
    app.MapAssistanceRequestsApi();
    app.MapTopicsApi();
    app.MapChannelsApi();
    app.MapDefaultEndpoints();
    app.MapBrowserPages();

    app.Run();
    return 0;
}
catch (Exception exception) when (ConfigurationErrors.Describe(exception) is { } problem)
{
    Console.Error.WriteLine(problem);
    return ConfigurationErrors.ExitCode;
}

public partial class Program;
