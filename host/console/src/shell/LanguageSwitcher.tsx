import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type Language } from '../i18n';

/** The person's language (remembered in this browser). Each language is named in itself. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('shell.language')}
      data-testid="language"
      size="xs"
      value={i18n.language}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      data={languages.map((language) => ({ value: language, label: t(`language.${language}`) }))}
    />
  );
}
