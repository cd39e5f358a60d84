using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.Me;

[QueryFields]
internal sealed class MeQuery
{
    [Description("The caller of this request: ANONYMOUS without credentials.")]
    [RequireRole(Role.Anonymous)]
    public Caller Me(IResolveFieldContext ctx) => ctx.GetCaller();
}

internal sealed class CallerGraphType : ObjectGraphType<Caller>
{
    public CallerGraphType(IEnumerable<ICallerFields> extensions)
    {
        Name = "Caller";
        Description = "Who is asking, what it may do (role) and what it may see (clearance).";
        Field(c => c.Id, nullable: true).Description("The caller's stable id (an API key id); null when anonymous.");
        Field(c => c.Name).Description("Display name.");
        Field<NonNullGraphType<RoleGraphType>>("role").Resolve(ctx => ctx.Source.Role);
        Field<NonNullGraphType<ConfidentialityGraphType>>("clearance").Resolve(ctx => ctx.Source.Clearance);
        // Other modules' fields of the caller (a signed-in person's account): each declares its own access rule.
        foreach (var extension in extensions)
        {
            extension.AddTo(this);
        }

        this.FieldsShownWithRecord();
    }
}
