using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssistanceRouter.ServiceDefaults;

/// <summary>
/// The one way a node answers an error: RFC 9457 <c>application/problem+json</c> with a title and a detail that says
/// what is wrong, whatever the client's <c>Accept</c> says. ASP.NET Core's problem details writer declines a client
/// that does not accept JSON (a browser's <c>text/html</c>), and an answer written only through it became a 500.
/// </summary>
public static class ProblemAnswers
{
    /// <summary>
    /// What a handler returns. Written through the problem details service (its defaults and trace id) when the client
    /// accepts JSON, and as problem+json all the same when it does not. A null title is the status's own.
    /// </summary>
    public static ProblemHttpResult Problem(int status, string? title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>A 400 naming each field that is wrong; its detail says all of it in one line.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

    public static ValidationProblem Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The same answer from a middleware, which has no endpoint to return it from.</summary>
    public static Task WriteAsync(HttpContext context, int status, string? title, string? detail) =>
        Problem(status, title, detail).ExecuteAsync(context);
}
