// The Teams app package: a manifest Teams accepts (checked offline against the schema it declares), commands
// that the bot understands, icons Teams accepts, and a clear stop when the bot id is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { ACCENT_COLOR, makeColorIcon, makeOutlineIcon } from '../../manifest/makeIcons';
import {
  buildAppPackage,
  DEFAULT_DEVELOPER_NAME,
  DEFAULT_WEBSITE_URL,
  fillManifest,
  JsonObject,
  localSchemaPath,
  MAX_COMMANDS_PER_LIST,
  PackagingError,
  projectRoot,
  readLocalization,
  validateLocalization,
  validateManifest,
} from '../../manifest/package';

const BOT_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const ENV = { MicrosoftAppId: BOT_ID, BOT_ENDPOINT: 'https://notulist.gemeente.nl/api/messages' } as const;

/** Every keyword of the conversation contract (shared/spec/conversation.md), Dutch and English alias. */
const CONTRACT_KEYWORDS = new Set([
  'help', 'hulp', 'vergadering', 'meeting', 'agenda', 'voorstel', 'start', 'volgende', 'next', 'vorige',
  'previous', 'punt', 'item', 'aanwezig', 'present', 'afwezig', 'absent', 'afmelden', 'apologies',
  'mededeling', 'announcement', 'verslag', 'note', 'besluit', 'decision', 'actie', 'action', 'acties',
  'actions', 'gereed', 'done', 'rondvraag', 'question', 'sluiten', 'close', 'heropenen', 'besluitenlijst',
  'minutes', 'publiceren', 'publish', 'voorzitter',
]); // prettier-ignore

interface Command {
  title: string;
  description?: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}

function commandLists(manifest: JsonObject): CommandList[] {
  const bots = manifest.bots as unknown as { commandLists: CommandList[] }[];
  return bots[0].commandLists;
}

function readPng(buffer: Buffer): PNG {
  return PNG.sync.read(buffer);
}

function entry(zip: JSZip, name: string): JSZip.JSZipObject {
  const file = zip.file(name);
  if (!file) throw new Error(`${name} is not in the zip`);
  return file;
}

describe('Teams app manifest', function () {
  let outDir: string;
  beforeEach(function () {
    outDir = mkdtempSync(join(tmpdir(), 'notulist-package-'));
  });
  afterEach(function () {
    rmSync(outDir, { recursive: true, force: true });
  });

  describe('fillManifest and validateManifest', function () {
    it('fills a manifest that validates against its own schema version, without the network', async function () {
      const realFetch = globalThis.fetch;
      globalThis.fetch = () => Promise.reject(new Error('validation must not fetch'));
      try {
        const manifest = fillManifest(ENV);
        assert.match(String(manifest.$schema), /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.\d+\//);
        assert.equal(manifest.manifestVersion, /\/v(1\.\d+)\//.exec(String(manifest.$schema))?.[1]);
        assert.ok(existsSync(localSchemaPath(manifest.$schema)));
        assert.deepEqual(validateManifest(manifest), []);
        assert.deepEqual(validateLocalization(readLocalization(), manifest), []);
        // A second opinion: the package's own validator (it uses its local copy for this $schema URL).
        const official = await AppManifestUtils.validateAgainstSchema(
          manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
        );
        assert.deepEqual(official, []);
      } finally {
        globalThis.fetch = realFetch;
      }
    });

    it('uses the newest non-preview schema version that @microsoft/app-manifest ships', function () {
      const teamsSchemas = join(localSchemaPath(fillManifest(ENV).$schema), '..', '..');
      const versions = readdirSync(teamsSchemas)
        .filter((v) => /^v\d+\.\d+$/.test(v))
        .map((v) => v.slice(1).split('.').map(Number))
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.equal(fillManifest(ENV).manifestVersion, versions[versions.length - 1].join('.'));
    });

    it('puts the bot id, meeting permissions and the endpoint domain in place', function () {
      const manifest = fillManifest(ENV);
      const bot = (manifest.bots as JsonObject[])[0];
      assert.equal(bot.botId, BOT_ID);
      assert.equal(manifest.id, BOT_ID);
      assert.deepEqual(bot.scopes, ['personal', 'team', 'groupChat']);
      assert.equal(bot.supportsFiles, false);
      assert.equal(bot.isNotificationOnly, false);
      assert.deepEqual(manifest.webApplicationInfo, { id: BOT_ID, resource: 'https://RscPermission' });
      assert.deepEqual((manifest.authorization as { permissions: JsonObject }).permissions.resourceSpecific, [
        { name: 'OnlineMeeting.ReadBasic.Chat', type: 'Application' },
        { name: 'ChannelMeeting.ReadBasic.Group', type: 'Application' },
        { name: 'OnlineMeetingParticipant.Read.Chat', type: 'Application' },
      ]);
      assert.deepEqual(manifest.validDomains, ['notulist.gemeente.nl']);
      assert.deepEqual(fillManifest({ MicrosoftAppId: BOT_ID }).validDomains, []);
      assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    });

    it('takes developer details and version from the environment, with defaults', function () {
      const defaults = fillManifest(ENV);
      assert.deepEqual(defaults.developer, {
        name: DEFAULT_DEVELOPER_NAME,
        websiteUrl: DEFAULT_WEBSITE_URL,
        privacyUrl: `${DEFAULT_WEBSITE_URL}/blob/main/PRIVACY.md`,
        termsOfUseUrl: `${DEFAULT_WEBSITE_URL}/blob/main/TERMS.md`,
      });
      const packageVersion = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as JsonObject).version;
      assert.equal(defaults.version, packageVersion);

      const custom = fillManifest({
        ...ENV,
        APP_VERSION: '2.3.4',
        APP_DEVELOPER_NAME: 'Gemeente "Zuid" & Co',
        APP_WEBSITE_URL: 'https://www.gemeente.nl/notulist/',
        TEAMS_APP_ID: '00000000-0000-0000-0000-0000000000a1',
      });
      assert.equal(custom.version, '2.3.4');
      assert.equal(custom.id, '00000000-0000-0000-0000-0000000000a1');
      assert.deepEqual(custom.developer, {
        name: 'Gemeente "Zuid" & Co',
        websiteUrl: 'https://www.gemeente.nl/notulist',
        privacyUrl: 'https://www.gemeente.nl/notulist/privacy',
        termsOfUseUrl: 'https://www.gemeente.nl/notulist/terms',
      });
      assert.deepEqual(validateManifest(custom), []);
    });

    it('has Dutch names and descriptions within the Teams limits, and an English localization', function () {
      const manifest = fillManifest(ENV);
      assert.deepEqual(manifest.name, {
        short: 'Notulist',
        full: 'Notulist – besluitenlijsten voor bestuurlijke overleggen',
      });
      const description = manifest.description as { short: string; full: string };
      assert.ok(description.short.length <= 80);
      assert.ok(description.full.length <= 4000);
      assert.match(description.full, /besluitenlijst/);
      assert.deepEqual(manifest.localizationInfo, {
        defaultLanguageTag: 'nl-nl',
        additionalLanguages: [{ languageTag: 'en-us', file: 'en-us.json' }],
      });
    });

    it('lists at most 10 commands per list, each a keyword of the conversation contract, in both languages', function () {
      const manifest = fillManifest(ENV);
      const lists = commandLists(manifest);
      assert.deepEqual(
        lists.map((l) => l.scopes),
        [['team', 'groupChat'], ['personal']],
      );
      const localization = readLocalization();
      lists.forEach((list, i) => {
        assert.ok(list.commands.length <= MAX_COMMANDS_PER_LIST, `list ${i} has ${list.commands.length} commands`);
        list.commands.forEach((command, j) => {
          assert.ok(CONTRACT_KEYWORDS.has(command.title), `"${command.title}" is not a contract keyword`);
          assert.ok(command.description, `"${command.title}" has no description`);
          const key = `bots[0].commandLists[${i}].commands[${j}]`;
          const english = localization[`${key}.title`];
          assert.ok(typeof english === 'string' && CONTRACT_KEYWORDS.has(english), `${key}.title: "${String(english)}"`);
          assert.ok(localization[`${key}.description`], `${key}.description is missing`);
        });
      });
      const groupTitles = lists[0].commands.map((c) => c.title);
      for (const keyword of ['help', 'vergadering', 'agenda', 'start', 'volgende', 'besluit', 'actie', 'publiceren'])
        assert.ok(groupTitles.includes(keyword), `group chat commands lack "${keyword}"`);
    });

    it('reports what Teams would refuse', function () {
      const manifest = fillManifest(ENV);
      const lists = commandLists(manifest);
      lists[0].commands.push({ title: 'sluiten' });
      (manifest.name as JsonObject).short = 'Notulist voor bestuurlijke overleggen';
      (manifest.webApplicationInfo as JsonObject).id = '00000000-0000-0000-0000-000000000000';
      const errors = validateManifest(manifest);
      assert.ok(
        errors.some((e) => e.startsWith('/name/short must NOT have more than 30 characters')),
        errors.join('\n'),
      );
      assert.ok(
        errors.some((e) => /commandLists\/0\/commands has 11 commands/.test(e)),
        errors.join('\n'),
      );
      assert.ok(
        errors.some((e) => e.startsWith('/webApplicationInfo/id must be the bot id')),
        errors.join('\n'),
      );
    });
  });

  describe('settings', function () {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['a missing MicrosoftAppId', {}, /^MicrosoftAppId is not set: packaging needs the bot's Microsoft App ID/],
      ['a blank MicrosoftAppId', { MicrosoftAppId: '  ' }, /^MicrosoftAppId is not set/],
      ['a MicrosoftAppId that is not a GUID', { MicrosoftAppId: 'notulist-bot' }, /^MicrosoftAppId "notulist-bot" is not a GUID/],
      ['an http website', { ...ENV, APP_WEBSITE_URL: 'http://gemeente.nl' }, /^APP_WEBSITE_URL "http:\/\/gemeente.nl" must be an https/],
      ['a website that is no URL', { ...ENV, APP_WEBSITE_URL: 'gemeente.nl' }, /^APP_WEBSITE_URL "gemeente.nl" is not a URL/],
      ['an http bot endpoint', { ...ENV, BOT_ENDPOINT: 'http://localhost:3978/api/messages' }, /^BOT_ENDPOINT .* must be an https/],
      ['a version Teams refuses', { ...ENV, APP_VERSION: '1.0' }, /^APP_VERSION "1.0" is not a version like 1.2.3/],
      ['a developer name over 32 characters', { ...ENV, APP_DEVELOPER_NAME: 'x'.repeat(33) }, /^APP_DEVELOPER_NAME is 33 characters/],
    ]; // prettier-ignore
    for (const [name, env, message] of cases) {
      it(`stops with one clear line on ${name}`, async function () {
        assert.throws(
          () => fillManifest(env),
          (err: unknown) => {
            assert.ok(err instanceof PackagingError);
            assert.match(err.message, message);
            assert.doesNotMatch(err.message, /\n/);
            return true;
          },
        );
        await assert.rejects(buildAppPackage(env, outDir), PackagingError);
        assert.ok(!existsSync(join(outDir, 'notulist.zip')));
      });
    }

    it('npm run package: exits 1 with one line when MicrosoftAppId is missing', function () {
      const script = join(projectRoot(), 'dist', 'manifest', 'package.js');
      // cwd is an empty directory so no .env file fills the variable in.
      const result = spawnSync(process.execPath, [script], {
        cwd: outDir,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^Packaging failed: MicrosoftAppId is not set: .*\n$/);
    });
  });

  describe('icons', function () {
    it('color.png is 192×192, opaque, on the accent colour', function () {
      const png = readPng(makeColorIcon());
      assert.equal(png.width, 192);
      assert.equal(png.height, 192);
      for (let i = 3; i < png.data.length; i += 4) assert.equal(png.data[i], 255, 'transparent pixel in the colour icon');
      const accent = ACCENT_COLOR.slice(1)
        .match(/../g)
        ?.map((h) => Number.parseInt(h, 16));
      assert.deepEqual([...png.data.subarray(0, 3)], accent, 'the corner is the accent colour');
      const centre = (96 * 192 + 64) * 4;
      assert.deepEqual([...png.data.subarray(centre, centre + 3)], [255, 255, 255], 'a white glyph in the middle');
    });

    it('outline.png is 32×32 with only white and transparent pixels, and a visible glyph', function () {
      const png = readPng(makeOutlineIcon());
      assert.equal(png.width, 32);
      assert.equal(png.height, 32);
      let opaque = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b, a] = png.data.subarray(i, i + 4);
        if (a > 0) assert.deepEqual([r, g, b], [255, 255, 255], `non-white pixel ${i / 4}`);
        if (a === 255) opaque++;
      }
      assert.ok(opaque > 60 && opaque < 32 * 32 * 0.5, `${opaque} opaque pixels`);
      assert.equal(png.data[3], 0, 'the corner is transparent');
    });

    it('are the same on every run', function () {
      assert.ok(makeColorIcon().equals(makeColorIcon()));
      assert.ok(makeOutlineIcon().equals(makeOutlineIcon()));
    });
  });

  describe('buildAppPackage', function () {
    it('writes notulist.zip with manifest.json, en-us.json, color.png and outline.png at the root', async function () {
      const zipPath = await buildAppPackage(ENV, outDir);
      assert.equal(zipPath, join(outDir, 'notulist.zip'));
      const zip = await JSZip.loadAsync(readFileSync(zipPath));
      assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'en-us.json', 'manifest.json', 'outline.png']);

      const manifest = JSON.parse(await entry(zip, 'manifest.json').async('string')) as JsonObject;
      assert.deepEqual(manifest, fillManifest(ENV));
      assert.deepEqual(validateManifest(manifest), []);
      assert.deepEqual(JSON.parse(await entry(zip, 'en-us.json').async('string')), readLocalization());
      const icons = manifest.icons as { color: string; outline: string };
      assert.equal(readPng(await entry(zip, icons.color).async('nodebuffer')).width, 192);
      assert.equal(readPng(await entry(zip, icons.outline).async('nodebuffer')).width, 32);
    });

    it('gives the same bytes for the same settings', async function () {
      const first = readFileSync(await buildAppPackage(ENV, join(outDir, 'a')));
      const second = readFileSync(await buildAppPackage(ENV, join(outDir, 'b')));
      assert.ok(first.equals(second));
    });
  });
});
