using AssistanceRouter.Grains.Hosting;
using Orleans.Dashboard;

// A silo of the cluster: grains, Redis for membership, state and reminders, and on its own HTTP port
// the Orleans Dashboard and health endpoints (default http://localhost:8081; --urls for another).
var builder = WebApplication.CreateBuilder(args);

if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    builder.WebHost.UseUrls("http://localhost:8081");
builder.AddAssistanceRouterSilo();
builder.Services.AddAssistanceRouterHealthChecks(builder.Configuration);

var app = builder.Build();

app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapAssistanceRouterHealth();
app.MapDeliveryMetrics();

app.Run();
