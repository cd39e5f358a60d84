using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Files.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.GraphQL;

namespace Omct.Platform.News.Attachments;

/// <summary>
/// Articles take files (their images, the report's PDF): an article the caller may see by the module's one rule
/// (<see cref="ArticleVisibility"/>: editors also drafts within clearance, others published ones within clearance, a portrait
/// only with its consents); hidden and unknown are absent alike. Attaching a file to an article, or re-classifying one of its
/// files, asks the role of the article's own writes: EDITOR.
/// </summary>
internal sealed class ArticleAttachmentTargets(IDocumentStore store) : IAttachmentTargets
{
    public IReadOnlyCollection<string> RecordTypes { get; } = [ArticleIds.Article];

    public async Task<IReadOnlyDictionary<Guid, AttachmentTarget>> FindAsync(
        string recordType, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, AttachmentTarget>();
        if (recordType != ArticleIds.Article || ids.Count == 0)
        {
            return result;
        }

        await using var session = store.QuerySession();
        foreach (var article in await session.LoadManyAsync<Article>(cancellationToken, ids.Distinct()))
        {
            if (await caller.SeesAsync(session, article, cancellationToken))
            {
                result[article.Id] = new AttachmentTarget(recordType, article.Id, article.Confidentiality) { AttachRole = Role.Editor };
            }
        }

        return result;
    }
}
