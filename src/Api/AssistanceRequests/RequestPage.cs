using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>One page of a listing; <see cref="Total"/> counts every match.</summary>
public sealed record RequestPage(AssistanceRequestView[] Items, int Page, int PageSize, long Total);
