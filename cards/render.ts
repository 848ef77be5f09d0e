// Binds a card template (JSON in this folder) to typed data with adaptivecards-templating. User text
// is always bound as data, never spliced into a template, so `${…}` typed by a user stays literal.
import * as ACData from 'adaptivecards-templating';
import { Verb } from './verbs';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body?: unknown[];
  actions?: unknown[];
  refresh?: unknown;
  [key: string]: unknown;
}

/** Teams' card limit for bot messages is larger, but 28 KB keeps every client (and webhooks) safe. */
export const MAX_CARD_BYTES = 28 * 1024;

const compiled = new WeakMap<object, ACData.Template>();

export function renderCard<T extends object>(template: object, data: T): AdaptiveCard {
  let t = compiled.get(template);
  if (!t) {
    t = new ACData.Template(template);
    compiled.set(template, t);
  }
  // Every template names its verbs from the one table: ${$root.verbs.next}.
  return t.expand({ $root: { ...data, verbs: Verb } }) as AdaptiveCard;
}

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
