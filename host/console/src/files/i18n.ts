import i18next from 'i18next';
import en from './i18n/en.json';
import es from './i18n/es.json';
import fr from './i18n/fr.json';

/** The files panel's labels (shared by the case, defender, article and submission pages), added to the console's `translation` namespace when its lazy chunk loads. */
for (const [language, resources] of [
  ['en', en],
  ['fr', fr],
  ['es', es],
] as const) {
  i18next.addResourceBundle(language, 'translation', resources, true, false);
}
