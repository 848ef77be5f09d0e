// The edge between an HTTP body and the bot: whatever a client posts is made into an activity the SDK and
// the bot can read without tripping, in one place, before anything else sees it.
//
// - Every string in it (text, names, card data, mention names, keys) loses what no store can keep: NUL
//   (PostgreSQL's jsonb refuses \u0000) and lone UTF-16 surrogates (jsonb refuses them too; they become
//   U+FFFD, as any UTF-8 encoder would make them).
// - Fields of the wrong type are treated as absent: a numeric locale, an object as the sender's name, a
//   string where Teams sends a list. The SDK and the bot read them as strings and lists.
import type { Activity } from 'botbuilder';

// eslint-disable-next-line no-control-regex -- NUL is exactly what is being removed
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string without NUL and lone surrogates (NUL removed, a lone surrogate replaced by U+FFFD). */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\ufffd'));
}

/** Cleans every string and key in a parsed JSON value, in place (iteratively: depth is no risk). */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (!value || typeof value !== 'object') return value;
  const stack: object[] = [value as object];
  while (stack.length) {
    const node = stack.pop() as Record<string, unknown>;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === 'string') node[i] = storableText(v);
        else if (v && typeof v === 'object') stack.push(v);
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      const cleaned = typeof v === 'string' ? storableText(v) : v;
      if (cleaned && typeof cleaned === 'object') stack.push(cleaned);
      const k = storableText(key);
      if (k === key) {
        // An own "__proto__" (JSON.parse makes one) is a plain field: assigning to it sets the field.
        if (cleaned !== v) node[key] = cleaned;
        continue;
      }
      delete node[key];
      if (!Object.hasOwn(node, k)) Object.defineProperty(node, k, { value: cleaned, enumerable: true, writable: true, configurable: true });
    }
  }
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Drops the listed fields of `o` that are not strings. */
function stringsOnly(o: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (o[k] !== undefined && typeof o[k] !== 'string') delete o[k];
}

/** An account (from, recipient, a member): an object with a string id, its other fields strings. */
function account(v: unknown): Record<string, unknown> | undefined {
  if (!isObject(v) || typeof v.id !== 'string') return undefined;
  stringsOnly(v, ['name', 'aadObjectId', 'role']);
  return v;
}

/**
 * The activity the SDK gets: strings cleaned, odd types dropped, timestamps as Dates (as the SDK's own
 * request handling makes them). `body` has passed the server's activityProblem check: an object with a
 * string type, conversation.id, from.id and serviceUrl.
 */
export function prepareActivity(body: Record<string, unknown>): Activity {
  const a = cleanStrings(body);
  stringsOnly(a, ['id', 'channelId', 'locale', 'name', 'replyToId', 'textFormat', 'valueType', 'deliveryMode', 'callerId', 'inputHint']);
  account(a.from);
  if (a.recipient !== undefined && !account(a.recipient)) delete a.recipient;
  const conversation = a.conversation as Record<string, unknown>;
  stringsOnly(conversation, ['tenantId', 'name', 'conversationType', 'aadObjectId', 'role']);
  if (conversation.isGroup !== undefined && typeof conversation.isGroup !== 'boolean') delete conversation.isGroup;
  if (a.channelData !== undefined) {
    if (!isObject(a.channelData)) delete a.channelData;
    else
      for (const k of ['tenant', 'meeting', 'team', 'channel']) {
        const part = a.channelData[k];
        if (part === undefined) continue;
        if (!isObject(part)) delete a.channelData[k];
        else stringsOnly(part, ['id', 'name']);
      }
  }
  for (const k of ['entities', 'attachments', 'membersAdded', 'membersRemoved', 'reactionsAdded', 'reactionsRemoved']) {
    if (a[k] === undefined) continue;
    if (!Array.isArray(a[k])) delete a[k];
    else a[k] = (a[k] as unknown[]).filter(isObject);
  }
  // A mention the SDK reads (removeRecipientMention) has a mentioned account and a text.
  if (Array.isArray(a.entities))
    a.entities = (a.entities as Record<string, unknown>[]).filter(
      (e) => e.type !== 'mention' || (account(e.mentioned) !== undefined && (e.text === undefined || typeof e.text === 'string')),
    );
  for (const k of ['membersAdded', 'membersRemoved'] as const)
    if (Array.isArray(a[k])) a[k] = (a[k] as unknown[]).filter((m) => account(m) !== undefined);
  for (const k of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const v = a[k];
    if (v === undefined) continue;
    const at = typeof v === 'string' ? new Date(v) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      delete a[k];
      continue;
    }
    a[`raw${k[0]!.toUpperCase()}${k.slice(1)}`] = v;
    a[k] = at;
  }
  return a as unknown as Activity;
}
