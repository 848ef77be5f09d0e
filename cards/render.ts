// Binds a card template (JSON in this folder) to typed data with adaptivecards-templating. User text
// is always bound as data, never spliced into a template, so `${…}` typed by a user stays literal.
import * as ACData from 'adaptivecards-templating';
import { createHash, randomBytes } from 'node:crypto';
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
 * The cards each template rendered last, by a digest of their data's JSON (the data holds the whole
 * catalogue of texts: kilobytes a key): a live card edited after a change it does not show, or after its
 * changing texts alone, is not expanded again. Enough for the live cards of a few hundred busy chats
 * (with 64, a hundred chats missed 99 times in 100); about 16 KB each. Cards are frozen, as they are
 * shared: whoever needs another card renders other data.
 */
const rendered = new WeakMap<object, Map<string, AdaptiveCard>>();
const RENDERED_PER_TEMPLATE = 300;

/** Binds `data` to a template (and puts in its changing texts: changingTexts). */
export function renderCard<T extends object>(template: object, data: T): AdaptiveCard {
  const changing = changingOf.get(template);
  if (!changing) return expand(template, data);
  const bound = { ...data } as Record<string, unknown>;
  const texts: { mark: string; text: string }[] = [];
  for (const field of changing) {
    const text = bound[field];
    // An empty text stays empty: `${field != ''}` decides as it would.
    if (typeof text !== 'string' || text === '') continue;
    const mark = `${MARK}${field}\u0001`;
    bound[field] = mark;
    texts.push({ mark, text });
  }
  const card = expand(template, bound);
  if (!texts.length) return card;
  let json = cardJson(card);
  for (const { mark, text } of texts) json = json.replaceAll(jsonString(mark), jsonString(text));
  // A copy along the paths to the marked strings only; the rest is the expanded card's own (frozen).
  let paths = marked.get(card);
  if (!paths) marked.set(card, (paths = markedPaths(card)));
  const filled = fillIn(card, paths, (value) => texts.reduce((v, { mark, text }) => v.replaceAll(mark, text), value)) as AdaptiveCard;
  jsonOf.set(filled, json);
  return filled;
}

const changingOf = new WeakMap<object, readonly string[]>();

/**
 * Names a template's texts that change from turn to turn while the rest of its card stays (a clock,
 * "last recorded at …"): the card is expanded with a mark in their place, once for the rest of the data,
 * and each text put in where its mark came out. A live card edited after every announcement is then not
 * expanded again (0.5–2 ms and a third of a turn's garbage). Such a field may only be shown (`${field}`,
 * `${$root.field}`) or tested for being empty (`${field != ''}`); anything else throws here.
 */
export function changingTexts(template: object, fields: readonly string[]): void {
  const json = JSON.stringify(template);
  for (const field of fields)
    for (const [, expression] of json.matchAll(/\$\{([^}]*)\}/g)) {
      const e = expression!.trim();
      const uses = new RegExp(`(^|[^\\w.$])(\\$root\\.)?${field}\\b`).test(e);
      if (uses && ![field, `$root.${field}`, `${field} != ''`, `$root.${field} != ''`].includes(e))
        throw new Error(`template expression \${${e}} uses the changing text ${field}: only \${${field}} and \${${field} != ''} may`);
    }
  changingOf.set(template, fields);
}

/** Unguessable, so no text a user typed can pass for one. */
const MARK = `\u0001${randomBytes(9).toString('base64url')}:`;

/** A string as it stands inside JSON text (escaped, without its quotes). */
const jsonString = (text: string) => JSON.stringify(text).slice(1, -1);

/** Where in a card its marked strings are: a tree of keys, a leaf (an empty map) at each string. */
type Paths = Map<string | number, Paths>;
const marked = new WeakMap<object, Paths>();

function markedPaths(node: unknown): Paths {
  const paths: Paths = new Map();
  if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      const at = Array.isArray(node) ? Number(key) : key;
      if (typeof value === 'string') {
        if (value.includes(MARK)) paths.set(at, new Map());
      } else {
        const below = markedPaths(value);
        if (below.size) paths.set(at, below);
      }
    }
  return paths;
}

function fillIn(node: unknown, paths: Paths, fill: (value: string) => string): unknown {
  if (typeof node === 'string') return fill(node);
  const from = node as Record<string | number, unknown>;
  const copy = (Array.isArray(node) ? [...node] : { ...from }) as Record<string | number, unknown>;
  for (const [key, below] of paths) copy[key] = fillIn(from[key], below, fill);
  return Object.freeze(copy);
}

function expand(template: object, data: object): AdaptiveCard {
  let t = compiled.get(template);
  if (!t) {
    t = new ACData.Template(template);
    compiled.set(template, t);
  }
  let memo = rendered.get(template);
  if (!memo) rendered.set(template, (memo = new Map()));
  const key = createHash('sha1').update(digestText(data)).digest('base64');
  const hit = memo.get(key);
  if (hit) return hit;
  // Every template names its verbs from the one table: ${$root.verbs.next}.
  const card = deepFreeze(t.expand({ $root: { ...data, verbs: Verb } }) as AdaptiveCard);
  setNewest(memo, key, card, RENDERED_PER_TEMPLATE);
  return card;
}

/**
 * Objects bound into many cards that never change (a language's catalogue of texts, kilobytes of them): a
 * card's memo key names them instead of spelling them out, so a render hashes only the data of its own.
 */
const constants = new WeakMap<object, string>();

/** Marks `value` as constant under `name` (unique among constants) and returns it. */
export function constantData<T extends object>(value: T, name: string): T {
  if (!constants.has(value)) constants.set(value, name);
  return value;
}

/** The text a card's memo key is the digest of: its data's JSON, each constant at the top level by its name. */
function digestText(data: object): string {
  let named: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(data)) {
    const name = value !== null && typeof value === 'object' ? constants.get(value) : undefined;
    if (name !== undefined) (named ??= { ...data })[key] = { $constant: name };
  }
  return JSON.stringify(named ?? data);
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

/**
 * `card` with more top-level keys (a refresh), frozen when the card is (a rendered one). Its JSON is the card's own (made
 * once) with theirs appended, as JSON.stringify would write it, so a shared live card is not serialized again
 * to be weighed and compared with what a message shows.
 */
export function withKeys(card: AdaptiveCard, more: Record<string, unknown>): AdaptiveCard {
  const extended = { ...card, ...deepFreeze(more) } as AdaptiveCard;
  // A card made by hand may still change: then neither is this one frozen, nor its JSON kept.
  if (!Object.isFrozen(card)) return extended;
  Object.freeze(extended);
  const own = jsonOf.get(card);
  // What the keys add to the JSON: nothing when all of them are undefined (then JSON.stringify writes '{}').
  const added = JSON.stringify(more);
  if (own !== undefined && own !== '{}' && added !== '{}' && !Object.keys(more).some((k) => k in card))
    jsonOf.set(extended, `${own.slice(0, -1)},${added.slice(1)}`);
  return extended;
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
