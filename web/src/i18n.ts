import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN';
import en from './locales/en';

export type Language = 'zh-CN' | 'en';
const STORAGE_KEY = 'openscf.language';

function initialLanguage(): Language {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === 'en' ? 'en' : 'zh-CN';
}

/** Date pickers name months and weekdays through dayjs: it follows the interface's language. */
function dayjsLocale(language: Language): void {
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
}
dayjsLocale(initialLanguage());

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  dayjsLocale(language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

export default i18n;
