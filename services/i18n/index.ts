// One catalogue per language; Dutch unless the activity's locale starts with "en".
import { en } from './en';
import { nl, Strings } from './nl';

export type { Strings };
export type Lang = 'nl' | 'en';

export function langOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

export function strings(locale: string | undefined): Strings {
  return langOf(locale) === 'en' ? en : nl;
}
