// Builds the Teams app package (appPackage/notulist.zip): fills manifest/manifest.json from the environment,
// validates it and its English localization against the JSON schemas shipped in @microsoft/app-manifest
// (offline: the schema URL is only a key into that package, never fetched), draws the icons and zips it all.
// Run with `npm run package`; a wrong setting stops it with one line naming the variable.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { config as loadDotenv } from 'dotenv';
import JSZip from 'jszip';
import { makeColorIcon, makeOutlineIcon } from './makeIcons';

export type PackagingEnv = Readonly<Record<string, string | undefined>>;
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A setting or manifest problem that stops packaging; its message is the one line shown to the user. */
export class PackagingError extends Error {
  override name = 'PackagingError';
}

export const PACKAGE_FILE_NAME = 'notulist.zip';
export const LOCALIZATION_FILE_NAME = 'en-us.json';

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// Teams accepts only plain major.minor.patch app versions.
const APP_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/(v[0-9.]+)\/([A-Za-z.]+\.schema\.json)$/;
/** Teams documents at most 10 commands per command list, though the schema allows 12. */
export const MAX_COMMANDS_PER_LIST = 10;

export const DEFAULT_DEVELOPER_NAME = 'Notulist';
export const DEFAULT_WEBSITE_URL = 'https://github.com/notulist/notulist';

/** The repository root, found from this file both as TypeScript source and as compiled JavaScript in dist. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'manifest', 'manifest.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root (with manifest/manifest.json) above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function readJsonObject(file: string): JsonObject {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: not a JSON object`);
  return value as JsonObject;
}

function setting(env: PackagingEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function httpsUrl(env: PackagingEnv, name: string, fallback: string): string {
  const value = setting(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PackagingError(`${name} "${value}" is not a URL: it must be an https:// address.`);
  }
  if (url.protocol !== 'https:') throw new PackagingError(`${name} "${value}" must be an https:// address.`);
  return value.replace(/\/+$/, '');
}

/** Privacy and terms pages default to files in the repository when the website is a GitHub repository. */
function defaultPolicyUrl(websiteUrl: string, page: 'privacy' | 'terms'): string {
  const onGitHub = /^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(websiteUrl);
  if (onGitHub) return `${websiteUrl}/blob/main/${page === 'privacy' ? 'PRIVACY.md' : 'TERMS.md'}`;
  return `${websiteUrl}/${page}`;
}

function packageVersion(): string {
  const version = readJsonObject(join(projectRoot(), 'package.json')).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** The values for the template's ${{NAME}} placeholders, checked one by one with a message per variable. */
export function manifestSettings(env: PackagingEnv): Record<string, string> {
  const botId = setting(env, 'MicrosoftAppId');
  if (!botId)
    throw new PackagingError(
      "MicrosoftAppId is not set: packaging needs the bot's Microsoft App ID (a GUID such as 00000000-0000-0000-0000-000000000000).",
    );
  if (!GUID.test(botId))
    throw new PackagingError(
      `MicrosoftAppId "${botId}" is not a GUID: use the bot's Microsoft App ID, such as 00000000-0000-0000-0000-000000000000.`,
    );
  // A stable Teams app id keeps re-uploads an update of the same app; the bot id is stable and unique.
  const appId = setting(env, 'TEAMS_APP_ID') ?? botId;
  if (!GUID.test(appId)) throw new PackagingError(`TEAMS_APP_ID "${appId}" is not a GUID.`);

  const version = setting(env, 'APP_VERSION') ?? packageVersion();
  if (!APP_VERSION.test(version))
    throw new PackagingError(`APP_VERSION "${version}" is not a version like 1.2.3 (Teams needs major.minor.patch).`);

  const developerName = setting(env, 'APP_DEVELOPER_NAME') ?? DEFAULT_DEVELOPER_NAME;
  if (developerName.length > 32)
    throw new PackagingError(`APP_DEVELOPER_NAME is ${developerName.length} characters long; Teams allows 32.`);

  const websiteUrl = httpsUrl(env, 'APP_WEBSITE_URL', DEFAULT_WEBSITE_URL);
  return {
    BOT_ID: botId,
    TEAMS_APP_ID: appId,
    APP_VERSION: version,
    APP_DEVELOPER_NAME: developerName,
    APP_WEBSITE_URL: websiteUrl,
    APP_PRIVACY_URL: httpsUrl(env, 'APP_PRIVACY_URL', defaultPolicyUrl(websiteUrl, 'privacy')),
    APP_TERMS_URL: httpsUrl(env, 'APP_TERMS_URL', defaultPolicyUrl(websiteUrl, 'terms')),
  };
}

/** The bot endpoint's host name for validDomains, or none when BOT_ENDPOINT is not given. */
function endpointDomains(env: PackagingEnv): string[] {
  const endpoint = setting(env, 'BOT_ENDPOINT');
  if (!endpoint) return [];
  return [new URL(httpsUrl(env, 'BOT_ENDPOINT', endpoint)).hostname];
}

/** Replaces placeholders inside string values only, so a setting can never change the JSON structure. */
function fillPlaceholders(value: JsonValue, settings: Record<string, string>, path: string): JsonValue {
  if (typeof value === 'string')
    return value.replace(PLACEHOLDER, (_match, name: string) => {
      const filled = settings[name];
      if (filled === undefined) throw new PackagingError(`manifest template: unknown placeholder \${{${name}}} at ${path}`);
      return filled;
    });
  if (Array.isArray(value)) return value.map((item, i) => fillPlaceholders(item, settings, `${path}/${i}`));
  if (value !== null && typeof value === 'object') {
    const filled: JsonObject = {};
    for (const [key, item] of Object.entries(value)) filled[key] = fillPlaceholders(item, settings, `${path}/${key}`);
    return filled;
  }
  return value;
}

/** The template filled from the environment (process.env or a test's object). Throws PackagingError. */
export function fillManifest(env: PackagingEnv): JsonObject {
  const settings = manifestSettings(env);
  const template = readJsonObject(join(projectRoot(), 'manifest', 'manifest.json'));
  const manifest = fillPlaceholders(template, settings, '') as JsonObject;
  manifest.validDomains = endpointDomains(env);
  return manifest;
}

/** The English localization file as shipped (it has no settings to fill). */
export function readLocalization(): JsonObject {
  return readJsonObject(join(projectRoot(), 'manifest', LOCALIZATION_FILE_NAME));
}

/** The local copy of a developer.microsoft.com Teams schema, chosen by the document's own $schema URL. */
export function localSchemaPath(schemaUrl: unknown): string {
  const match = typeof schemaUrl === 'string' ? SCHEMA_URL.exec(schemaUrl) : null;
  if (!match) throw new PackagingError(`$schema ${JSON.stringify(schemaUrl)} is not a developer.microsoft.com Teams schema URL.`);
  const [, version, file] = match;
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const schemaFile = join(packageDir, 'build', 'json-schemas', 'teams', version, file);
  if (!existsSync(schemaFile)) throw new PackagingError(`$schema ${schemaUrl}: @microsoft/app-manifest has no local copy (${schemaFile}).`);
  return schemaFile;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(schemaFile: string): ValidateFunction {
  let validate = validators.get(schemaFile);
  if (!validate) {
    // Same clean-up as @microsoft/app-manifest: some schema versions carry regex escapes JSON can't parse.
    const text = readFileSync(schemaFile, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
    // unicodeRegExp off: the localization schemas have patterns (an unescaped `]`) that are invalid with /u.
    const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
    addFormats(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(JSON.parse(text) as object);
    validators.set(schemaFile, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}

/** Schema errors (empty when valid) for a JSON document validated against the local copy of its $schema. */
function validateAgainstOwnSchema(document: JsonObject): string[] {
  const validate = validatorFor(localSchemaPath(document.$schema));
  return validate(document) ? [] : describeErrors(validate.errors);
}

function asObjects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/**
 * Errors in a filled manifest (empty when valid): its JSON schema, plus the rules Teams enforces beyond it
 * that Notulist depends on (command list length, RSC consent tied to the bot's app id).
 */
export function validateManifest(manifest: JsonObject): string[] {
  const errors = validateAgainstOwnSchema(manifest);
  const bots = asObjects(manifest.bots);
  asObjects(bots[0]?.commandLists).forEach((list, i) => {
    const count = Array.isArray(list.commands) ? list.commands.length : 0;
    if (count > MAX_COMMANDS_PER_LIST)
      errors.push(`/bots/0/commandLists/${i}/commands has ${count} commands; Teams shows at most ${MAX_COMMANDS_PER_LIST}`);
  });
  const webApp = manifest.webApplicationInfo;
  const webAppId = typeof webApp === 'object' && webApp !== null && !Array.isArray(webApp) ? webApp.id : undefined;
  if (bots[0] && webAppId !== bots[0].botId)
    errors.push('/webApplicationInfo/id must be the bot id, or meeting events (RSC) are not granted to the bot');
  const unfilled = JSON.stringify(manifest).match(PLACEHOLDER);
  if (unfilled) errors.push(`unfilled placeholders: ${[...new Set(unfilled)].join(', ')}`);
  return errors;
}

/** Errors in a localization file (empty when valid), including keys that point past the manifest's lists. */
export function validateLocalization(localization: JsonObject, manifest: JsonObject): string[] {
  const errors = validateAgainstOwnSchema(localization);
  const lists = asObjects(asObjects(manifest.bots)[0]?.commandLists);
  for (const key of Object.keys(localization)) {
    const match = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\./.exec(key);
    if (!match) continue;
    const commands = lists[Number(match[1])]?.commands;
    if (!Array.isArray(commands) || Number(match[2]) >= commands.length) errors.push(`${key} has no command in the manifest to translate`);
  }
  return errors;
}

/**
 * Fills and validates the manifest, then writes outDir/notulist.zip with manifest.json, en-us.json and the
 * two icons at the root, as Teams expects. Returns the zip's path. Throws PackagingError on any problem.
 */
export async function buildAppPackage(env: PackagingEnv, outDir: string): Promise<string> {
  const manifest = fillManifest(env);
  const manifestErrors = validateManifest(manifest);
  if (manifestErrors.length) throw new PackagingError(`manifest.json does not validate: ${manifestErrors.join('; ')}`);
  const localization = readLocalization();
  const localizationErrors = validateLocalization(localization, manifest);
  if (localizationErrors.length) throw new PackagingError(`${LOCALIZATION_FILE_NAME} does not validate: ${localizationErrors.join('; ')}`);

  const zip = new JSZip();
  // A fixed timestamp makes the same inputs give the same zip, byte for byte.
  const date = new Date(2000, 0, 1);
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  zip.file(LOCALIZATION_FILE_NAME, `${JSON.stringify(localization, null, 2)}\n`, { date });
  zip.file('color.png', makeColorIcon(), { date });
  zip.file('outline.png', makeOutlineIcon(), { date });
  const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });

  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, PACKAGE_FILE_NAME);
  writeFileSync(zipPath, content);
  return zipPath;
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    const zipPath = await buildAppPackage(process.env, resolve(projectRoot(), 'appPackage'));
    console.log(`Teams app package written: ${zipPath}`);
  } catch (err) {
    console.error(`Packaging failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
