import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { countryName } from '../cases/countries';
import { graphql } from '../gql';

/** The organisations offered by the filters and forms of several areas (those the caller may see; members only when asked). */
export const OrganisationOptionsQuery = graphql(`
  query OrganisationOptions($filter: OrganisationFilter) {
    organisations(filter: $filter, first: 100) {
      nodes {
        id
        name
        country {
          code
        }
      }
    }
  }
`);

/**
 * The organisations the person may see as the options of a Select or MultiSelect ("name (country)", the country in
 * the page's language): network members only with `networkMember`, without the ids in `exclude`.
 */
export function useOrganisationOptions({ networkMember = false, exclude = [] }: { networkMember?: boolean; exclude?: readonly string[] } = {}) {
  const { i18n } = useTranslation();
  const [{ data }] = useQuery({ query: OrganisationOptionsQuery, variables: { filter: networkMember ? { networkMember: true } : null } });
  const options = useMemo(
    () => (data?.organisations.nodes ?? []).map((o) => ({ value: o.id, label: `${o.name} (${countryName(o.country.code, i18n.language)})` })),
    [data, i18n.language],
  );
  return exclude.length > 0 ? options.filter((o) => !exclude.includes(o.value)) : options;
}
