using AssistanceRouter.Api.AssistanceRequests;

namespace AssistanceRouter.Tests.Api;

/// <summary>
/// What an <c>Idempotency-Key</c> turns into is stored (the request's id, its body's fingerprint): bots retry across
/// upgrades, so both stay what they were for keys and bodies that earlier versions took. The values are golden.
/// </summary>
public sealed class SubmissionReaderTests
{
    [Fact]
    public void A_key_names_the_same_request_id_in_every_version()
    {
        var id = SubmissionReader.RequestIdFor("order-42");

        Assert.Equal(Guid.Parse("cd016b64-eb0d-8100-8ed2-cae74ce8973b"), id);
        Assert.Equal(8, id.Version); // RFC 9562: custom, here name-based on SHA-256
        Assert.InRange(id.Variant, 0x8, 0xB); // the RFC variant: 10xx
        Assert.NotEqual(id, SubmissionReader.RequestIdFor("order-43"));
    }

    [Fact]
    public void A_body_without_the_optional_fields_hashes_as_it_did_before_they_existed()
    {
        // SHA-256 of "sales\nhelp": what versions without conversationUrl and metadata stored.
        Assert.Equal("47849E0ECD628389BF1FB447EB8A3000B2EB5BDE47028D990F921EB865542A86",
            SubmissionReader.Fingerprint(new("sales", "help", null, null)));
    }

    [Fact]
    public void The_optional_fields_count_in_the_fingerprint_with_metadata_in_key_order()
    {
        var fingerprint = SubmissionReader.Fingerprint(new("sales", "help", "https://chat.example.test/c/1", new() { ["b"] = "2", ["a"] = "1" }));

        Assert.Equal("9733680F5A285E6C302E85C1FACE9E3F2A882EEA750D9E12728C439F98C03248", fingerprint);
        Assert.NotEqual(fingerprint, SubmissionReader.Fingerprint(new("sales", "help", "https://chat.example.test/c/1", null)));
        Assert.NotEqual(fingerprint, SubmissionReader.Fingerprint(new("sales", "help", null, new() { ["a"] = "1", ["b"] = "2" })));
    }

    [Fact]
    public void A_conversation_url_alone_makes_another_fingerprint()
    {
        Assert.NotEqual(SubmissionReader.Fingerprint(new("sales", "help", null, null)),
            SubmissionReader.Fingerprint(new("sales", "help", "https://chat.example.test/c/1", null)));
    }
}
