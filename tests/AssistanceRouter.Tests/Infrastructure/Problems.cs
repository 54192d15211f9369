using System.Net.Http.Json;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>Reads an error answer, asserting what every one must be: problem+json with its status and a detail.</summary>
public static class Problems
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(ApiFactory.Json);
        Assert.NotNull(problem);
        Assert.Equal((int)response.StatusCode, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), "a problem must say what is wrong");
        return problem;
    }
}

public sealed record Problem(int Status, string Title, string Detail, Dictionary<string, string[]>? Errors);
