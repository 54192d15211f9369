using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// The API as a real process (Kestrel, embedded silo, SQLite) takes 1,400 generated hostile requests — broken and
/// oversized JSON, odd encodings and charsets, repeated and mistyped properties, junk headers, paths and query values,
/// cross-site browser requests, names with bidi and zero-width characters, chat markup in URLs, and malformed HTTP on a
/// raw socket — and answers each bad one with a 4xx, never a 5xx, and stays alive and ready.
/// Seeded, so that a failure replays. It loads the machine (a process, 1,400 requests, 8 at a time): it runs alone.
/// </summary>
[Collection(RunsAlone.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 14;
    private const int GeneratedRequests = 1200;

    /// <summary>One generated request; <see cref="MustBeRefused"/> when no server may take it.</summary>
    private sealed record Case(HttpMethod Method, string Path, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers, bool MustBeRefused, string What);

    [Fact]
    public async Task Hostile_bodies_headers_and_paths_get_4xx_never_5xx_and_the_process_stays_ready()
    {
        await using var product = new NodeProcess(new Dictionary<string, string>
        {
            ["Routing__Topics__sales__0"] = "console",
            ["Routing__Topics__pricing__0"] = "console",
        });
        await product.StartAsync();
        var random = new Random(Seed);
        var cases = Enumerable.Range(0, GeneratedRequests).Select(i => Generate(random, i)).ToList();
        using var http = new HttpClient(new SocketsHttpHandler
        {
            // Header values as raw bytes, so that non-ASCII junk reaches the server as sent.
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        })
        { BaseAddress = product.Url, Timeout = TimeSpan.FromSeconds(30) };

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = deadline.Token }, async (c, token) =>
        {
            var status = await Send(http, c, token);
            lock (failures)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500 || (c.MustBeRefused && status is < 400 or >= 500))
                    failures.Add($"{status} for {c.What}: {c.Method} {c.Path} [{c.ContentType}] {Preview(c.Body)}");
            }
        });
        var raw = await RawHttpCases(product.Url, random);
        foreach (var (what, status, mustBeRefused) in raw)
        {
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            // 505 is HTTP's own answer to a version it does not speak, given by Kestrel before any code of ours runs.
            var allowed = status is >= 400 and < 500 || (status == 505 && what == UnsupportedVersion) || (!mustBeRefused && status < 500);
            if (!allowed) failures.Add($"{status} for raw HTTP: {what}");
        }
        output.WriteLine($"{cases.Count + raw.Count} requests; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");

        Assert.True(cases.Count + raw.Count >= 1000);
        Assert.True(failures.Count == 0, $"{failures.Count} wrong answers:\n{string.Join("\n", failures.Take(30))}");
        Assert.Equal(HttpStatusCode.OK, (await product.Http.GetAsync("/health/ready")).StatusCode);
        var valid = await product.Http.PostAsync("/assistance-requests",
            new StringContent("""{"topic": "sales", "description": "still taking requests"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
        Assert.DoesNotContain("An unhandled exception has occurred", product.Output);
    }

    private static async Task<int> Send(HttpClient http, Case c, CancellationToken token)
    {
        using var request = new HttpRequestMessage(c.Method, c.Path);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        foreach (var (name, value) in c.Headers)
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request, token);
        await response.Content.ReadAsByteArrayAsync(token);
        return (int)response.StatusCode;
    }

    private static readonly string[] SubmitPaths = ["/assistance-requests", "/assistance-request", "/assistance-request/"];

    private static Case Generate(Random random, int index)
    {
        var kind = index % 12;
        return kind switch
        {
            < 5 => BadSubmission(random),
            5 => BadRoute(random),
            6 => BadHeaders(random),
            7 => BadQuery(random),
            8 => BadPath(random),
            9 => CrossSite(random),
            10 => NamesAndLinks(random),
            _ => Mutated(random),
        };
    }

    private static readonly string[] ChangingPaths =
        ["/assistance-requests", "/assistance-request", "/channels/console/pause", "/channels/slack/resume", "/topics/sales"];

    /// <summary>What a page on another site sends through a browser: each must be refused, whatever its body.</summary>
    private static Case CrossSite(Random random)
    {
        var path = random.Next(3) == 0
            ? $"/assistance-requests/{Guid.NewGuid()}/{Pick(random, "acknowledge", "unacknowledge", "resolve", "retry")}"
            : ChangingPaths[random.Next(ChangingPaths.Length)];
        var header = random.Next(4) switch
        {
            0 => ("Sec-Fetch-Site", Pick(random, "cross-site", "same-site")),
            1 => ("Origin", Pick(random, "http://127.0.0.2:8000", "null", "https://evil.example", "http://localhost.evil.example", "http://\u00ff", "x")),
            2 => ("Origin", $"http://127.0.0.1:{random.Next(1, 65536)}.evil.example"),
            _ => ("Sec-Fetch-Site", "cross-site"),
        };
        var (body, contentType) = random.Next(4) switch
        {
            0 => ((byte[]?)null, (string?)null),
            1 => (Utf8("""{"by": "Mallory", "x": "="}"""), "text/plain"),
            2 => (Utf8("""{"topic": "sales", "description": "help", "channels": ["console"]}"""), Json),
            _ => (Utf8("by=Mallory"), "application/x-www-form-urlencoded"),
        };
        var method = path.StartsWith("/topics/", StringComparison.Ordinal) ? new HttpMethod(Pick(random, "PUT", "DELETE")) : HttpMethod.Post;
        return new Case(method, path, body, contentType, [header], true, $"cross-site ({header.Item1}: {header.Item2})");
    }

    /// <summary>Names a reader cannot trust are refused; URLs holding chat markup are taken as data.</summary>
    private static Case NamesAndLinks(Random random)
    {
        var hidden = Pick(random, "\u202E", "\u202A", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C", "\u200B", "\u200D", "\u2060", "\uFEFF");
        return random.Next(3) switch
        {
            0 => new Case(HttpMethod.Post, $"/assistance-requests/{Guid.NewGuid()}/{Pick(random, "acknowledge", "unacknowledge", "resolve")}",
                Utf8($$"""{"by": "Ann{{hidden}}exe.pdf"}"""), Json, [], true, "a name with an invisible character"),
            1 => new Case(HttpMethod.Post, "/assistance-requests", Utf8($$"""{"topic": "sales", "description": "help", "conversationUrl": "https://{{Pick(random, "user@", "a:b@", "chat.example@")}}evil.example/"}"""),
                Json, [], true, "user info in conversationUrl"),
            _ => new Case(HttpMethod.Post, "/assistance-requests",
                Utf8($$"""{"topic": "sales", "description": "help {{hidden}}", "conversationUrl": "https://good.example/{{Pick(random, "x|Claim your refund", "a>b<c", "q?x=|<", "%7C|")}}"}"""),
                Json, [], false, "chat markup in conversationUrl"),
        };
    }

    /// <summary>A submission that breaks one rule on purpose: each of these must be refused.</summary>
    private static Case BadSubmission(Random random)
    {
        var path = SubmitPaths[random.Next(SubmitPaths.Length)];
        var (body, contentType, what) = random.Next(22) switch
        {
            0 => (Utf8("""{"topic": "sales", "description": "help"""), Json, "truncated JSON"),
            1 => (RandomBytes(random, random.Next(1, 2000)), Json, "random bytes"),
            2 => (Utf8(new string('[', random.Next(65, 5000))), Json, "deep nesting"),
            3 => (Utf8(JsonSerializer.Serialize(new { topic = "sales", description = new string('x', random.Next(4001, 30000)) })), Json, "description too long"),
            4 => (Utf8(JsonSerializer.Serialize(new { topic = "sales", description = "x", pad = new string('p', 70_000) })), Json, "body over 64 KiB"),
            5 => (Utf8($$"""{"topic": "{{new string('t', random.Next(65, 20000))}}", "description": "help"}"""), Json, "topic too long"),
            6 => (Utf8("""{"topic": "sales", "description": "help", "topic": "pricing"}"""), Json, "repeated property"),
            7 => (Utf8("""{"topic": "sales", "description": "\ud800\udc00\ud800"}"""), Json, "lone surrogate escape"),
            8 => (InvalidUtf8(random), Json, "invalid UTF-8"),
            9 => (Utf8("""{"topic": "sales", "description": "help"}"""), "application/json; charset=" + Pick(random, "latin1", "utf-16", "ebcdic", "\"\"", "utf-7"), "charset other than UTF-8"),
            10 => (Utf8("""{"topic": "sales", "description": "help"}"""), Pick(random, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "application/jsonx", ";;;", "application/"), "not JSON"),
            11 => (Utf8("""{"topic": "sales", "description": "help"}"""), null, "no content type"),
            12 => (Utf8(Pick(random, "null", "[]", "\"sales\"", "42", "true", "{}", "[{\"topic\": \"sales\"}]")), Json, "not an object"),
            13 => (Utf8($$"""{"topic": {{Pick(random, "5", "true", "[]", "{}", "1e999", "-0")}}, "description": "help"}"""), Json, "topic of the wrong type"),
            14 => (Utf8($$"""{"topic": "sales", "description": {{Pick(random, "5", "false", "[\"a\"]", "{\"a\":1}", "123456789012345678901234567890")}}}"""), Json, "description of the wrong type"),
            15 => (Utf8($$"""{"topic": "{{Pick(random, "\u212Aelvin", "sal\u0000es", "s a l e s", "caf\u00e9", "../../etc", "<script>", "sales\nx", "\u202Esales")}}", "description": "help"}"""), Json, "topic outside the rule"),
            16 => (Utf8($$"""{"topic": "sales", "description": "{{Pick(random, "", "   ", "\\n\\t", "\\u0000", "a\\u0000b", "\\u001b[31m")}}"}"""), Json, "blank description or control characters"),
            17 => (Utf8($$"""{"topic": "no-such-topic-{{random.Next()}}", "description": "help"}"""), Json, "unknown topic"),
            18 => (Utf8("""{"topic": "sales", "description": "help"} trailing"""), Json, "trailing text"),
            19 => (Utf8("\uFEFF\uFEFF" + """{"topic": "sales",, "description": "help"}"""), Json, "double comma"),
            20 => (Utf8("""{'topic': 'sales', 'description': 'help'}"""), Json, "single quotes"),
            _ => ([], Json, "empty body"),
        };
        return new Case(HttpMethod.Post, path, body, contentType, [], true, what);
    }

    private static Case BadRoute(Random random)
    {
        var topic = Pick(random, "support", "sales", "x", new string('t', 65), "%E2%84%AAelvin", "a%2Fb", "..", "%00", "bad topic!");
        var (body, contentType, what) = random.Next(7) switch
        {
            0 => (Utf8("""{"channels": ["console"""), Json, "truncated route"),
            1 => (Utf8("""{"channels": "console"}"""), Json, "channels of the wrong type"),
            2 => (Utf8("""{"channels": ["console"], "channels": ["slack"]}"""), Json, "repeated channels"),
            3 => (Utf8(JsonSerializer.Serialize(new { channels = Enumerable.Repeat("console", random.Next(21, 5000)) })), Json, "too many channels"),
            4 => (Utf8(JsonSerializer.Serialize(new { channels = new[] { "pager-" + random.Next() } })), Json, "unknown channel"),
            5 => (RandomBytes(random, random.Next(1, 3000)), Json, "random bytes"),
            _ => (Utf8("""{"channels": ["console"]}"""), "text/plain", "not JSON"),
        };
        return new Case(HttpMethod.Put, "/topics/" + topic, body, contentType, [], true, what);
    }

    /// <summary>A valid submission with junk headers: it may be accepted, but never answered 5xx.</summary>
    private static Case BadHeaders(Random random)
    {
        var headers = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pick(random,
            ("Idempotency-Key", RandomText(random, random.Next(0, 600))),
            ("Idempotency-Key", "é€\u0001"),
            ("X-Api-Key", RandomText(random, random.Next(0, 300))),
            ("Accept", RandomText(random, 50)),
            ("Accept-Charset", "utf-7"),
            ("Accept-Encoding", "gzip;q=abc, br;q=-1"),
            ("X-Forwarded-For", "999.999.999.999, ::ffff"),
            ("Content-Encoding", Pick(random, "gzip", "br", "x-junk")),
            ("Expect", "100-continue"),
            ("If-None-Match", RandomText(random, 40)),
            ("Range", "bytes=99999999999999999999-"),
            ("Cookie", RandomText(random, 200)),
            ("X-Junk-" + random.Next(), RandomText(random, random.Next(1, 4000))))).ToArray();
        // One key outside the rule (as HTTP hands it on: without the spaces around it) must be refused; two at once are only never a 5xx.
        var keys = headers.Where(h => h.Item1 == "Idempotency-Key").Select(h => h.Item2.Trim(' ', '\t')).ToArray();
        var refused = keys is [var key] && !(key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and <= '~'));
        return new Case(HttpMethod.Post, "/assistance-requests", Utf8("""{"topic": "sales", "description": "help"}"""), Json, headers, refused,
            refused ? "junk headers with a bad Idempotency-Key" : "junk headers");
    }

    private static Case BadQuery(Random random)
    {
        var (query, refused) = random.Next(6) switch
        {
            0 => ($"status=Failed&page={Pick(random, "2147483647", "-1", "0", "99999999999", "1e3", "abc", "")}&pageSize=100", true),
            1 => ($"status=Failed&pageSize={Pick(random, "0", "101", "-5", "2147483647", "x")}", true),
            2 => ($"status={Uri.EscapeDataString(RandomText(random, 30))}", true),
            3 => ($"status=Failed&page=1&page=2&{new string('a', 3000)}=1", false),
            4 => ($"status=Failed&status=Open", false),
            _ => (Uri.EscapeDataString(RandomText(random, 500)), true),
        };
        return new Case(HttpMethod.Get, "/assistance-requests?" + query, null, null, [], refused, "bad query");
    }

    private static Case BadPath(Random random)
    {
        var id = Pick(random, Guid.NewGuid().ToString(), "not-a-guid", new string('9', 500), "%00", "..%2F..%2F", "{}", "%E2%84%AA");
        var silo = Pick(random, "x", "127.0.0.1", "127.0.0.1:1@", "1.2.3.4:5@6@7", "%00", "::::", "999.1.1.1:1@1", "[::1]:x@y");
        return random.Next(7) switch
        {
            0 => new Case(HttpMethod.Get, $"/assistance-requests/{id}", null, null, [], id.Length != 36, "bad request id"),
            1 => new Case(HttpMethod.Post, $"/assistance-requests/{id}/acknowledge", null, null, [], true, "acknowledge unknown id"),
            2 => new Case(HttpMethod.Post, $"/assistance-requests/{id}/retry", null, null, [], true, "retry unknown id"),
            3 => new Case(HttpMethod.Get, $"/dashboard/{Pick(random, "SiloCounters", "SiloProperties", "SiloStats", "HistoricalStats", "SiloMetadata")}/{silo}", null, null, [], true, "bad silo address"),
            4 => new Case(HttpMethod.Get, $"/topics/{Uri.EscapeDataString(RandomText(random, random.Next(1, 200)))}", null, null, [], true, "unknown topic route"),
            5 => new Case(new HttpMethod(Pick(random, "PATCH", "TRACE", "PROPFIND", "DELETE")), "/assistance-requests", null, null, [], true, "wrong method"),
            _ => new Case(HttpMethod.Get, "/" + Uri.EscapeDataString(RandomText(random, random.Next(1, 1000))), null, null, [], false, "junk path"),
        };
    }

    /// <summary>A valid body with a few random bytes flipped, cut or repeated: accepted or refused, never a 5xx.</summary>
    private static Case Mutated(Random random)
    {
        var body = Utf8("""{"topic": "sales", "description": "I need help with my order"}""").ToList();
        for (var i = random.Next(1, 6); i > 0 && body.Count > 0; i--)
        {
            var at = random.Next(body.Count);
            switch (random.Next(3))
            {
                case 0: body[at] = (byte)random.Next(256); break;
                case 1: body.RemoveAt(at); break;
                default: body.InsertRange(at, body.Skip(at).Take(random.Next(1, 10)).ToArray()); break;
            }
        }
        return new Case(HttpMethod.Post, "/assistance-requests", [.. body], Json, [], false, "mutated body");
    }

    /// <summary>Malformed HTTP that HttpClient will not send: Kestrel must answer 4xx (or close), the process must live.</summary>
    private const string UnsupportedVersion = "HTTP/9.9";

    /// <summary>HTTP/1.1 allows a full URL in the request line: the server answers it as a request for its path.</summary>
    private const string AbsoluteForm = "absolute URI in the request line";

    private static async Task<List<(string What, int Status, bool MustBeRefused)>> RawHttpCases(Uri url, Random random)
    {
        var requests = new List<(string, string)>
        {
            ("bad request line", "GARBAGE\r\n\r\n"),
            ("missing Host", "GET /topics HTTP/1.1\r\n\r\n"),
            ("header without colon", "GET /topics HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
            ("Content-Length and chunked", "POST /assistance-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            ("bad chunk size", "POST /assistance-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n"),
            ("negative Content-Length", "POST /assistance-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n"),
            ("huge Content-Length", "POST /assistance-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999\r\n\r\n{}"),
            ("headers too large", "GET /topics HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n"),
            ("request line too long", "GET /" + new string('a', 20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            (UnsupportedVersion, "GET /topics HTTP/9.9\r\nHost: x\r\n\r\n"),
            ("NUL in header", "GET /topics HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"),
            ("header injection", "GET /topics HTTP/1.1\r\nHost: x\r\nX-A: a\rSet-Cookie: b\r\n\r\n"),
            (AbsoluteForm, "GET http://evil.example/topics?x=1 HTTP/1.1\r\nHost: evil.example\r\nX: \u0001\r\n\r\n"),
            ("two Hosts", "GET /topics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        };
        for (var i = 0; i < 186; i++)
            requests.Add(("random request line and headers",
                $"{Pick(random, "GET", "POST", "PUT", "G\u0001T", "")} /{RandomText(random, random.Next(0, 40)).Replace("\r", "").Replace("\n", "")} HTTP/1.1\r\nHost: x\r\n{RandomText(random, random.Next(1, 200))}\r\n\r\n"));
        var results = new List<(string, int, bool)>();
        foreach (var (what, text) in requests)
            results.Add((what, await SendRaw(url, Encoding.Latin1.GetBytes(text)), what != AbsoluteForm && !what.StartsWith("random", StringComparison.Ordinal)));
        return results;
    }

    /// <summary>The status of the first answer, or 400 when Kestrel closes the connection on malformed framing.</summary>
    private static async Task<int> SendRaw(Uri url, byte[] request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, url.Port);
        var stream = socket.GetStream();
        stream.ReadTimeout = 10_000;
        try
        {
            await stream.WriteAsync(request);
        }
        catch (IOException)
        {
            return 400; // refused before it was all read
        }
        var buffer = new byte[64];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (read < 12 && await stream.ReadAsync(buffer.AsMemory(read), timeout.Token) is > 0 and var n) read += n;
        }
        catch (IOException)
        {
            return 400; // reset: the connection was refused
        }
        catch (OperationCanceledException)
        {
            return 408; // still waiting for a body it announced: no answer, no crash
        }
        if (read == 0) return 400; // closed without an answer
        var line = Encoding.ASCII.GetString(buffer, 0, read);
        return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(9, 3), out var status) ? status : 599;
    }

    private const string Json = "application/json";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (bytes.Length > 0 && bytes[0] == (byte)'{') bytes[0] = (byte)'~'; // never by chance a valid object
        return bytes;
    }

    private static byte[] InvalidUtf8(Random random)
    {
        var body = Utf8("""{"topic": "sales", "description": "help ____"}""");
        var at = Array.IndexOf(body, (byte)'_');
        body[at] = Pick(random, (byte)0xC0, (byte)0xFF, (byte)0x80, (byte)0xED); // overlong, never valid, lone continuation, surrogate lead
        body[at + 1] = Pick(random, (byte)0x20, (byte)0xA0, (byte)0x41);
        return body;
    }

    private static string RandomText(Random random, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => (char)Pick(random, random.Next(0x20, 0x7F), random.Next(0xA0, 0x100), random.Next(0x21, 0x7F)))]);

    private static string Preview(byte[]? body) => body is null ? "" : Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 120)));
}
