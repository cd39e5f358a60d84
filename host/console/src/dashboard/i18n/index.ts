import i18next from 'i18next';
// The console's i18next set up first: main.tsx may load this chunk before the rest of the console (src/start.tsx).
import '../../i18n';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

/** The dashboard's labels: the i18next namespace "dashboard", added when the dashboard's chunk loads. */
export const dashboardNamespace = 'dashboard';

for (const [language, resources] of Object.entries({ en, fr, es })) {
  if (!i18next.hasResourceBundle(language, dashboardNamespace)) {
    i18next.addResourceBundle(language, dashboardNamespace, resources);
  }
}
