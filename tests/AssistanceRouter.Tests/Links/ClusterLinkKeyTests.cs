using AssistanceRouter.Grains.Links;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Links;

/// <summary>Without <c>Links:SigningKey</c> the cluster makes a key once and keeps it: links outlive a restart.</summary>
public sealed class ClusterLinkKeyTests
{
    [Fact]
    public async Task A_link_made_before_a_restart_still_works_after_it_and_another_installation_rejects_it()
    {
        var storage = Directory.CreateTempSubdirectory("assistance-router-keys-");
        try
        {
            var id = Guid.NewGuid();
            string token;
            await using (var first = new ApiFactory(new Dictionary<string, string?> { ["Storage:Path"] = storage.FullName }))
            {
                var url = (await first.Services.GetRequiredService<TakeLinks>().UrlAsync(id, "email"))!;
                token = url[(url.LastIndexOf('/') + 1)..];
            }

            await using (var restarted = new ApiFactory(new Dictionary<string, string?> { ["Storage:Path"] = storage.FullName }))
            {
                var (check, link) = await restarted.Services.GetRequiredService<TakeLinks>().VerifyAsync(token);
                Assert.Equal(LinkCheck.Valid, check);
                Assert.Equal((id, "email"), (link!.RequestId, link.Channel));
            }

            await using var elsewhere = new ApiFactory(null);
            Assert.Equal(LinkCheck.Invalid, (await elsewhere.Services.GetRequiredService<TakeLinks>().VerifyAsync(token)).Check);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }
}
