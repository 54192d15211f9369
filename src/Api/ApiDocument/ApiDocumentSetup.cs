using AssistanceRouter.Api.Hosting;
using Microsoft.OpenApi;

namespace AssistanceRouter.Api.ApiDocument;

/// <summary>
/// The API document at <c>/swagger/v1/swagger.json</c> (OpenAPI 3.1) and Swagger UI at <c>/docs</c> (and <c>/swagger</c>);
/// <c>/</c> leads there. The filters beside this file make it say what the wire says, and "Try it out" work as shipped.
/// </summary>
public static class ApiDocumentSetup
{
    public const string ApiKeyScheme = "ApiKey";

    public static WebApplicationBuilder AddApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "AssistanceRouter", Version = "v1", Description = "Routes a customer's call for help to the people who can take it." });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "AssistanceRouter.Api.xml"));
            // Nullable where the C# type is (null on the wire), required where it is not (always on the wire).
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired();
            o.UseAllOfToExtendReferenceSchemas();
            o.SchemaFilter<BodySchemaFilter>();
            o.OperationFilter<ProblemResponsesFilter>();
            o.OperationFilter<ParameterSchemaFilter>();
            o.DocumentFilter<NullableReferencesFilter>();
            // The Authorize button: every call then carries the key. Without Api:Keys the API is open and it is not needed.
            o.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyMiddleware.Header,
                Description = "One of the keys in Api:Keys; needed only when any is configured.",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
        });
        return builder;
    }

    public static IApplicationBuilder UseApiDocument(this IApplicationBuilder app)
    {
        // OpenAPI 3.1: its schemas are JSON Schema 2020-12, which any JSON Schema validator reads as they stand.
        app.UseSwagger(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
        foreach (var prefix in new[] { "docs", "swagger" })
            app.UseSwaggerUI(o =>
            {
                o.RoutePrefix = prefix;
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "AssistanceRouter v1");
                o.DocumentTitle = "AssistanceRouter API";
            });
        return app;
    }

    /// <summary><c>/</c> leads to Swagger UI, as the earlier service's address did.</summary>
    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }
}
