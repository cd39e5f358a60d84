import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

/** The console's languages; every label exists in each (src/i18n/*.json). */
export const languages = ['en', 'fr', 'es'] as const;
export type Language = (typeof languages)[number];

/** The person's choice is remembered in localStorage (nothing secret: a language code). */
export const languageStorageKey = 'omct.console.language';

function initialLanguage(): Language {
  const stored = safeStorage()?.getItem(languageStorageKey);
  if (stored && (languages as readonly string[]).includes(stored)) {
    return stored as Language;
  }
  const browser = navigator.language.slice(0, 2);
  return (languages as readonly string[]).includes(browser) ? (browser as Language) : 'en';
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function setLanguage(language: Language): void {
  safeStorage()?.setItem(languageStorageKey, language);
  void i18next.changeLanguage(language);
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

const applyLang = (lng: string) => {
  document.documentElement.lang = lng;
};
applyLang(i18next.language);
i18next.on('languageChanged', applyLang);

export default i18next;
