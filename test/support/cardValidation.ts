// Validation of every Adaptive Card the bot sends, for the tests: the official Adaptive Cards 1.5 JSON schema
// (test/schemas/adaptive-card-1.5.json), the version and size limits Teams applies to bot cards, a second
// opinion from the `adaptivecards` library's own parser and renderer, and no `${…}` left by the templating.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06MetaSchema from 'ajv/lib/refs/json-schema-draft-06.json';
import type * as AdaptiveCards from 'adaptivecards';
import { JSDOM, VirtualConsole } from 'jsdom';

/** Teams' limit for cards sent by incoming webhooks; the budget we hold every bot card to. */
export const MAX_CARD_BYTES = 28 * 1024;
/** Buttons Teams shows in one card's action bar or ActionSet (observed; the library's default is 5). */
export const MAX_TEAMS_ACTIONS = 6;
/** Bot cards in Teams render up to schema 1.5. */
export const MAX_CARD_VERSION = '1.5';

export interface CardValidationOptions {
  /**
   * Strings that may legitimately contain `${` because they came from the card's data (e.g. user text that
   * itself reads "${x}"). Every occurrence of each is ignored by the unbound-expression check.
   */
  allowedLiterals?: string[];
}

type JsonObject = { [key: string]: unknown };

/** The message of an error from this realm or from the jsdom window's (where `instanceof Error` fails). */
function messageOf(err: unknown): string {
  return isObject(err) && typeof err.message === 'string' ? err.message : String(err);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'schemas'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root (with test/schemas) above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
// 1. JSON schema

interface SchemaCheck {
  validate: ValidateFunction;
  /** Element, action and inline `type` value → a validator for its definition alone. */
  validatorsByType: Map<string, ValidateFunction>;
}

let schemaCheck: SchemaCheck | undefined;

function loadSchemaCheck(): SchemaCheck {
  if (schemaCheck) return schemaCheck;
  const schemaFile = join(projectRoot(), 'test', 'schemas', 'adaptive-card-1.5.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as JsonObject;
  // The file is draft-06, where the root id is `id`; ajv 8 only reads `$id`.
  const { id, ...rest } = schema;
  const schemaId = String(id);
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(draft06MetaSchema);
  addFormats(ajv);
  const validate = ajv.compile({ $id: schemaId, ...rest });

  const validatorsByType = new Map<string, ValidateFunction>();
  const definitions = isObject(schema.definitions) ? schema.definitions : {};
  const register = (pointer: string, definition: unknown) => {
    const typeProperty = isObject(definition) && isObject(definition.properties) ? definition.properties.type : undefined;
    if (!isObject(typeProperty) || !Array.isArray(typeProperty.enum)) return;
    const validateDefinition = ajv.getSchema(`${schemaId}#${pointer}`);
    if (!validateDefinition) return;
    for (const type of typeProperty.enum)
      if (typeof type === 'string' && !validatorsByType.has(type)) validatorsByType.set(type, validateDefinition);
  };
  for (const [name, definition] of Object.entries(definitions)) {
    register(`/definitions/${name}`, definition);
    // TextRun and TargetElement are "a string, or an object with a type".
    if (isObject(definition) && Array.isArray(definition.anyOf))
      definition.anyOf.forEach((branch, i) => register(`/definitions/${name}/anyOf/${i}`, branch));
  }
  schemaCheck = { validate, validatorsByType };
  return schemaCheck;
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isObject(value)) value = value[key];
    else return undefined;
  }
  return value;
}

function isAtOrBelow(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function describe(path: string, e: ErrorObject): string {
  const where = path || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown property "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${where}: ${e.message ?? 'invalid'} (${JSON.stringify(e.params.allowedValues)})`;
  return `${where}: ${e.message ?? 'invalid'}`;
}

/**
 * The schema allows any element (or action) wherever one may stand, as an anyOf over every type, so one
 * mistake fails every branch and ajv reports them all. Readable errors come from validating an object with
 * a `type` against that type's definition alone, recursively; a type with no definition is unknown.
 */
function explain(value: unknown, validate: ValidateFunction, base: string, check: SchemaCheck): string[] {
  if (validate(value)) return [];
  const errors = [...(validate.errors ?? [])];
  const messages: string[] = [];
  const handled: string[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' || handled.some((h) => isAtOrBelow(e.instancePath, h))) continue;
    const instance = valueAt(value, e.instancePath);
    const path = base + e.instancePath;
    if (isObject(instance) && typeof instance.type === 'string') {
      handled.push(e.instancePath);
      const own = check.validatorsByType.get(instance.type);
      const inner = own ? explain(instance, own, path, check) : [];
      if (inner.length) messages.push(...inner);
      else messages.push(`${path || '/'}: ${own ? 'type' : 'unknown type'} "${instance.type}"${own ? ' is not allowed here' : ''}`);
    } else if (
      isObject(instance) &&
      errors.some((d) => d.instancePath === e.instancePath && d.keyword === 'required' && d.params.missingProperty === 'type')
    ) {
      handled.push(e.instancePath);
      messages.push(`${path || '/'}: must have required property 'type'`);
    }
  }
  // A failed anyOf over plain values (an enum, a pattern or null): one line with the allowed values.
  for (const e of errors) {
    if (e.keyword !== 'anyOf' || handled.some((h) => isAtOrBelow(e.instancePath, h))) continue;
    handled.push(e.instancePath);
    const deeper = errors.some((d) => d.instancePath.startsWith(`${e.instancePath}/`));
    const allowed = errors
      .filter((d) => d.keyword === 'enum' && d.instancePath === e.instancePath)
      .flatMap((d) => (Array.isArray(d.params.allowedValues) ? (d.params.allowedValues as unknown[]) : []));
    const instance = valueAt(value, e.instancePath);
    if (!deeper)
      messages.push(
        `${base + e.instancePath || '/'}: invalid value ${JSON.stringify(instance)}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
      );
    for (const d of errors)
      if (d.instancePath.startsWith(`${e.instancePath}/`) && d.keyword !== 'anyOf') messages.push(describe(base + d.instancePath, d));
  }
  for (const e of errors)
    if (e.keyword !== 'anyOf' && !handled.some((h) => isAtOrBelow(e.instancePath, h))) messages.push(describe(base + e.instancePath, e));
  return [...new Set(messages)];
}

function schemaErrors(card: JsonObject): string[] {
  const check = loadSchemaCheck();
  return explain(card, check.validate, '', check).map((m) => `schema: ${m}`);
}

// ---------------------------------------------------------------------------------------------------------
// 2. Version

function versionErrors(card: JsonObject): string[] {
  const errors: string[] = [];
  if (card.type !== 'AdaptiveCard') errors.push(`root: type must be "AdaptiveCard", not ${JSON.stringify(card.type)}`);
  if (card.version === undefined) return [...errors, 'root: version is missing (Teams needs it on the top-level card)'];
  const match = typeof card.version === 'string' ? /^(\d+)\.(\d+)$/.exec(card.version) : null;
  if (!match) return [...errors, `root: version ${JSON.stringify(card.version)} is not like "1.5"`];
  const [maxMajor, maxMinor] = MAX_CARD_VERSION.split('.').map(Number);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > maxMajor || (major === maxMajor && minor > maxMinor))
    errors.push(`root: version "${card.version}" is above ${MAX_CARD_VERSION}, the highest Teams renders for bots`);
  return errors;
}

// ---------------------------------------------------------------------------------------------------------
// 3. Size

function sizeErrors(json: string): string[] {
  const bytes = Buffer.byteLength(json, 'utf8');
  return bytes > MAX_CARD_BYTES ? [`size: ${bytes} bytes of JSON, over the ${MAX_CARD_BYTES}-byte budget`] : [];
}

// ---------------------------------------------------------------------------------------------------------
// 4. The adaptivecards library, run inside a jsdom window so it has a DOM of its own and no globals leak

type AdaptiveCardsModule = typeof AdaptiveCards;

interface LibraryHost {
  lib: AdaptiveCardsModule;
  hostConfig: AdaptiveCards.HostConfig;
  window: JSDOM['window'];
  consoleMessages: string[];
}

let libraryHost: LibraryHost | undefined;

function loadLibrary(): LibraryHost {
  if (libraryHost) return libraryHost;
  const consoleMessages: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('error', (...args: unknown[]) => consoleMessages.push(`console.error: ${args.map(String).join(' ')}`));
  virtualConsole.on('jsdomError', (e: Error) => consoleMessages.push(`jsdom: ${e.message}`));
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { runScripts: 'outside-only', virtualConsole });
  const { window } = dom;
  // jsdom has no layout, hence no innerText; the renderer reads and writes it for plain text.
  Object.defineProperty(window.HTMLElement.prototype, 'innerText', {
    configurable: true,
    get(this: HTMLElement) {
      return this.textContent ?? '';
    },
    set(this: HTMLElement, value: string) {
      this.textContent = value;
    },
  });
  // The UMD bundle: `lib/` is untranspiled ESM that Node cannot load.
  window.eval(readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8'));
  const lib = (window as unknown as { AdaptiveCards: AdaptiveCardsModule }).AdaptiveCards;
  // Teams renders Markdown itself; here plain text is enough, and it silences the "no Markdown" warning.
  lib.AdaptiveCard.onProcessMarkdown = () => undefined;
  // Teams shows up to 6 buttons per action bar; the library's default host config allows 5.
  const hostConfig = new lib.HostConfig({ actions: { maxActions: MAX_TEAMS_ACTIONS } });
  libraryHost = { lib, hostConfig, window, consoleMessages };
  return libraryHost;
}

/** Accessibility guidance the library logs, not faults Teams acts on. */
const IGNORED_LIBRARY_EVENTS = new Set(['Hint', 'RequiredInputsShouldHaveLabel', 'RequiredInputsShouldHaveErrorMessage']);

function libraryErrors(json: string): string[] {
  const { lib, hostConfig, window, consoleMessages } = loadLibrary();
  consoleMessages.length = 0;
  const errors: string[] = [];
  const report = (events: AdaptiveCards.IValidationEvent[]) => {
    for (const event of events) {
      const name = lib.ValidationEvent[event.event];
      if (!IGNORED_LIBRARY_EVENTS.has(name)) errors.push(`adaptivecards: ${name}: ${event.message}`);
    }
  };

  const card = new lib.AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new lib.SerializationContext();
  try {
    // Parse objects of the window's own realm, so the library's instanceof checks hold.
    card.parse(window.JSON.parse(json), context);
  } catch (err) {
    return [`adaptivecards: parsing failed: ${messageOf(err)}`];
  }
  report(Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i)));
  report(card.validateProperties().validationEvents);
  try {
    if (!card.render()) errors.push('adaptivecards: the card rendered nothing');
  } catch (err) {
    errors.push(`adaptivecards: rendering failed: ${messageOf(err)}`);
  }
  errors.push(...consoleMessages.map((m) => `adaptivecards: ${m}`));
  return [...new Set(errors)];
}

// ---------------------------------------------------------------------------------------------------------
// 5. Template expressions left unbound

function literalErrors(card: unknown, allowedLiterals: readonly string[]): string[] {
  const errors: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      let rest = value;
      for (const allowed of allowedLiterals) if (allowed) rest = rest.split(allowed).join('');
      const found = rest.match(/\$\{[^}]{0,60}\}?/g);
      if (found) errors.push(`${path || '/'}: unbound template expression ${found.map((f) => JSON.stringify(f)).join(', ')}`);
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}/${i}`));
    else if (isObject(value)) for (const [key, item] of Object.entries(value)) visit(item, `${path}/${key}`);
  };
  visit(card, '');
  return errors.map((e) => `template: ${e}`);
}

// ---------------------------------------------------------------------------------------------------------

/**
 * All problems found in a card, as readable lines; an empty array means the card may be sent.
 * The card is checked as it would be sent, i.e. after a JSON round trip.
 */
export function validateCard(card: unknown, options: CardValidationOptions = {}): string[] {
  let json: string | undefined;
  try {
    json = JSON.stringify(card);
  } catch (err) {
    return [`json: the card cannot be serialized: ${messageOf(err)}`];
  }
  const sent: unknown = json === undefined ? undefined : JSON.parse(json);
  if (json === undefined || !isObject(sent)) return ['json: the card is not a JSON object'];

  // Teams' own root property is not part of the Adaptive Cards schema.
  const { msteams, ...adaptive } = sent;
  const errors: string[] = [];
  if (msteams !== undefined && !isObject(msteams)) errors.push('msteams: must be an object');
  errors.push(...versionErrors(adaptive), ...schemaErrors(adaptive), ...sizeErrors(json));
  errors.push(...libraryErrors(json), ...literalErrors(sent, options.allowedLiterals ?? []));
  return errors;
}
