import i18next from 'i18next';
import en from './i18n/en.json';
import es from './i18n/es.json';
import fr from './i18n/fr.json';

/** Teamwork's labels (key "teamwork"), added to the console's `translation` namespace when a chunk that shows them loads. */
for (const [language, resources] of [
  ['en', en],
  ['fr', fr],
  ['es', es],
] as const) {
  i18next.addResourceBundle(language, 'translation', resources, true, false);
}
