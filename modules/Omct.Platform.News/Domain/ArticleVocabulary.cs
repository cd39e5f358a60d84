namespace Omct.Platform.News.Domain;

public enum ArticleKind { PressRelease, UrgentIntervention, Statement, Report, Portrait, CallForInput, JointReport, Event }

public enum Language { En, Fr, Es }

public enum ArticleStatus { Draft, Scheduled, Published, Unpublished, Archived }

public static class Languages
{
    /// <summary>The PostgreSQL text-search configuration for a language (stemming and stop words).</summary>
    public static string TextSearchConfig(this Language language) => language switch
    {
        Language.Fr => "french",
        Language.Es => "spanish",
        _ => "english",
    };
}
