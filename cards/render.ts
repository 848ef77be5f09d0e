// Binds a card template (JSON in this folder) to typed data with adaptivecards-templating. User text
// is always bound as data, never spliced into a template, so `${…}` typed by a user stays literal.
import * as ACData from 'adaptivecards-templating';
import { setNewest } from '../services/newest';
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

/**
 * The cards each template rendered last, by the JSON of their data: a live card edited after a change it
 * does not show (an item card while announcements come in) is not expanded again. Cards are frozen, as
 * they are shared: whoever needs another card renders other data.
 */
const rendered = new WeakMap<object, Map<string, AdaptiveCard>>();
const RENDERED_PER_TEMPLATE = 64;

export function renderCard<T extends object>(template: object, data: T): AdaptiveCard {
  let t = compiled.get(template);
  if (!t) {
    t = new ACData.Template(template);
    compiled.set(template, t);
  }
  let memo = rendered.get(template);
  if (!memo) rendered.set(template, (memo = new Map()));
  const key = JSON.stringify(data);
  const hit = memo.get(key);
  if (hit) return hit;
  // Every template names its verbs from the one table: ${$root.verbs.next}.
  const card = deepFreeze(t.expand({ $root: { ...data, verbs: Verb } }) as AdaptiveCard);
  setNewest(memo, key, card, RENDERED_PER_TEMPLATE);
  return card;
}

const jsonOf = new WeakMap<object, string>();

/** A card's JSON, made once per card (its size is checked, and an edit compares it with what is shown). */
export function cardJson(card: object): string {
  let json = jsonOf.get(card);
  if (json === undefined) {
    json = JSON.stringify(card);
    // Only a frozen card (a rendered one) stays what it was.
    if (Object.isFrozen(card)) jsonOf.set(card, json);
  }
  return json;
}

export function cardBytes(card: object): number {
  return Buffer.byteLength(cardJson(card), 'utf8');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
