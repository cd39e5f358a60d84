import i18next from 'i18next';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

/** The digests and reports area's labels: the i18next namespace "reports", added when the area's chunk loads. */
export const reportsNamespace = 'reports';

for (const [language, resources] of Object.entries({ en, fr, es })) {
  if (!i18next.hasResourceBundle(language, reportsNamespace)) {
    i18next.addResourceBundle(language, reportsNamespace, resources);
  }
}
