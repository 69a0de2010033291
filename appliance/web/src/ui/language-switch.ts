import { language, onLanguageChange, setLanguage } from '../i18n/i18n.ts';
import { button } from './dom.ts';

const other = () => (language() === 'ru' ? 'en' : 'ru');

/** Switches between Russian and English; the button names, in that language, the one it switches to. */
export function languageSwitch(): HTMLButtonElement {
  const el = button({ class: 'language-switch', text: 'lang.other', on: { click: () => setLanguage(other()) } });
  const mark = () => el.setAttribute('lang', other());
  mark();
  // Screens come and go with their switch: a switch no longer on the page stops listening.
  const stop = onLanguageChange(() => (el.isConnected ? mark() : stop()));
  return el;
}
