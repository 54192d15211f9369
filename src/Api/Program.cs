using AssistanceRouter.Api.AssistanceRequests;
using AssistanceRouter.Api.Channels;
using AssistanceRouter.Api.Hosting;
using AssistanceRouter.Api.Topics;

var builder = WebApplication.CreateBuilder(args);

builder.AddOrleans();
builder.AddApiServices();

var app = builder.Build();

app.UseApiPipeline();
app.MapAssistanceRequestsApi();
app.MapTopicsApi();
app.MapChannelsApi();
app.MapOperationsEndpoints();

app.Run();

public partial class Program;
