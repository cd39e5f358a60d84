import { Select, type ComboboxItem } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { countryName } from './countries';
import { DefenderPickerQuery } from './documents';

type Props = {
  label: string;
  description?: string;
  value: string;
  onChange: (id: string) => void;
  error?: React.ReactNode;
};

/**
 * A registered defender chosen by typing part of a name or pseudonym: the API's `defenders(filter: { text })`, so the
 * person finds only the profiles they may see, shown as the API gives them (the pseudonym when the name is withheld).
 */
export function DefenderPicker({ label, description, value, onChange, error }: Props) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [chosen, setChosen] = useState<ComboboxItem | null>(null);
  const [{ data, fetching }] = useQuery({
    query: DefenderPickerQuery,
    variables: { text: debounced },
    pause: debounced.length < 2 || debounced === chosen?.label,
  });
  const options = useMemo(() => {
    const found = (data?.defenders.nodes ?? []).map((d) => ({
      value: d.id,
      label: `${d.name ?? d.pseudonym ?? d.id} (${countryName(d.country.code, i18n.language)})`,
    }));
    return chosen && value === chosen.value && !found.some((o) => o.value === chosen.value) ? [chosen, ...found] : found;
  }, [data, chosen, value, i18n.language]);

  return (
    <Select
      label={label}
      description={description}
      error={error}
      searchable
      clearable
      value={value || null}
      data={options}
      // The API has already filtered by the text: every option it gave is shown.
      filter={({ options: all }) => all}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id, option) => {
        setChosen(id ? option : null);
        onChange(id ?? '');
      }}
      nothingFoundMessage={
        debounced.length < 2 ? t('caseDesk.form.defenderTypeMore') : fetching ? t('caseDesk.form.defenderSearching') : t('caseDesk.form.defenderNone')
      }
    />
  );
}
