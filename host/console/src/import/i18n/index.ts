import i18next from 'i18next';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

/** The import area's labels: the i18next namespace "import", added when the area's chunk loads. */
export const importNamespace = 'import';

for (const [language, resources] of Object.entries({ en, fr, es })) {
  if (!i18next.hasResourceBundle(language, importNamespace)) {
    i18next.addResourceBundle(language, importNamespace, resources);
  }
}
