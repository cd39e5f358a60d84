using System.Text.Json;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Transport;

/// <summary>
/// The schema GraphiQL loads (Docs, auto-completion) under the default limits, in Production: the query the
/// bundled IDE sends, through HTTP, for a key; still nothing for anonymous callers; recursive introspection
/// and many whole walks refused on their cost.
/// </summary>
public sealed class GraphiQLIntrospectionTests(ProductionPlatformFactory platform) : IClassFixture<ProductionPlatformFactory>
{
    /// <summary>
    /// Word for word what GraphiQL 3.8.3 (build/web, served at /graphql) sends to load the schema: graphql-js's
    /// <c>getIntrospectionQuery({ inputValueDeprecation: undefined, schemaDescription: undefined })</c> from its
    /// bundle (useIntrospectionQuery), with operationName <c>IntrospectionQuery</c>. Taken by running the bundle's
    /// own function; identical to build/web/node_modules/graphql 16.9.0's output.
    /// </summary>
    public const string GraphiQLQuery = """

    query IntrospectionQuery {
      __schema {
        
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types {
          ...FullType
        }
        directives {
          name
          description
          
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      
      
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
      
      
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                    ofType {
                      kind
                      name
                      ofType {
                        kind
                        name
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  
""";

    [Fact]
    public async Task GraphiQLs_introspection_query_loads_the_schema_for_a_key_under_the_default_limits()
    {
        var created = await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"graphiql\", role: INTEGRATOR, clearance: PUBLIC }) { key } }");
        foreach (var client in new[] { platform.Admin(), platform.GraphQL(created.GetProperty("createApiKey").GetProperty("key").GetString()) })
        {
            var response = await client.PostBodyAsync(new { query = GraphiQLQuery, operationName = "IntrospectionQuery" });
            Assert.False(response.HasErrors, response.ToString());
            var schema = response.Data.GetProperty("__schema");
            Assert.Equal("Query", schema.GetProperty("queryType").GetProperty("name").GetString());
            var types = schema.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
            Assert.Contains("anniversaries", types["Query"].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            Assert.True(types.ContainsKey("Case") && types.ContainsKey("Mutation"));
            Assert.NotEmpty(schema.GetProperty("directives").EnumerateArray());
        }
    }

    [Fact]
    public async Task In_production_anonymous_callers_still_get_no_introspection()
    {
        var response = await platform.GraphQL().PostBodyAsync(new { query = GraphiQLQuery, operationName = "IntrospectionQuery" });
        Assert.True(response.HasErrors);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", response.ErrorCode);
        Assert.DoesNotContain("\"Case\"", response.Raw, StringComparison.Ordinal);
        Assert.False(response.HasData && response.Data.ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public async Task Introspection_that_recurses_through_type_references_is_refused_before_it_runs()
    {
        // Two levels of references fit; a third multiplies the output a hundredfold again.
        Assert.False((await platform.Admin().PostAsync("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }")).HasErrors);
        var recursive = await platform.Admin().PostAsync("{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }");
        Assert.Equal("LIMIT_EXCEEDED", recursive.ErrorCode);
        Assert.False(recursive.HasData && recursive.Data.ValueKind == JsonValueKind.Object);

        var interfaces = await platform.Admin().PostAsync("{ __type(name: \"Case\") { interfaces { possibleTypes { fields { type { fields { type { fields { name } } } } } } } } }");
        Assert.Equal("LIMIT_EXCEEDED", interfaces.ErrorCode);
    }

    [Fact]
    public async Task Aliases_of_whole_schema_walks_add_up_to_the_budget()
    {
        static string Walks(int n) => "{ " + string.Join(" ", Enumerable.Range(0, n).Select(i => $"w{i}: __schema {{ types {{ name fields {{ name }} }} }}")) + " }";
        Assert.False((await platform.Admin().PostAsync(Walks(2))).HasErrors);
        Assert.Equal("LIMIT_EXCEEDED", (await platform.Admin().PostAsync(Walks(20))).ErrorCode);
    }
}
