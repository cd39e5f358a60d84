import i18next from 'i18next';
import en from './i18n/en.json';
import es from './i18n/es.json';
import fr from './i18n/fr.json';

/** The calendar's labels: the i18next namespace "calendar", added when the calendar's chunk loads. */
export const calendarNamespace = 'calendar';

for (const [language, resources] of Object.entries({ en, fr, es })) {
  if (!i18next.hasResourceBundle(language, calendarNamespace)) {
    i18next.addResourceBundle(language, calendarNamespace, resources);
  }
}
