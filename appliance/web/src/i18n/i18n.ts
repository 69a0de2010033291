import { CATALOGUE } from './catalogue.ts';
import type { Language, MessageKey } from './catalogue.ts';

export type { Language, MessageKey };
export type Params = Record<string, string | number>;

const STORAGE_KEY = 'appliance.language';

/** Where a translated string goes on an element; the binding is kept in data attributes. */
const TARGETS = {
  text: (el: HTMLElement, value: string) => (el.textContent = value),
  label: (el: HTMLElement, value: string) => {
    el.setAttribute('aria-label', value);
    el.title = value;
  },
  placeholder: (el: HTMLElement, value: string) => el.setAttribute('placeholder', value),
} as const;
type Target = keyof typeof TARGETS;
const datasetKey = (target: Target) => `i18n${target[0]!.toUpperCase()}${target.slice(1)}`;

let current: Language = localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ru';
const listeners = new Set<() => void>();

export function language(): Language {
  return current;
}

export function t(key: MessageKey, params: Params = {}): string {
  return CATALOGUE[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Puts a translated string on an element and remembers which one, so that switching the language
 * retranslates the page in place: a conference keeps its media and dialogs open meanwhile.
 */
export function translate(el: HTMLElement, target: Target, key: MessageKey, params?: Params): void {
  const attribute = datasetKey(target);
  el.dataset[attribute] = key;
  if (params) el.dataset[`${attribute}Params`] = JSON.stringify(params);
  else delete el.dataset[`${attribute}Params`];
  TARGETS[target](el, t(key, params));
}

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  applyDocumentLanguage();
  for (const target of Object.keys(TARGETS) as Target[]) {
    const attribute = datasetKey(target);
    for (const el of document.querySelectorAll<HTMLElement>(`[data-i18n-${target}]`)) {
      const params = el.dataset[`${attribute}Params`];
      TARGETS[target](el, t(el.dataset[attribute] as MessageKey, params ? (JSON.parse(params) as Params) : undefined));
    }
  }
  for (const listener of listeners) listener();
}

/** For what is formatted rather than looked up (dates, times): called after every switch. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The page's lang attribute (for screen readers and hyphenation) and its title follow the language. */
export function applyDocumentLanguage(): void {
  document.documentElement.lang = current;
  document.title = t('app.name');
}
