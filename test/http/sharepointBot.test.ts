// SharePoint publishing through the running bot, end to end: the real bot (`node dist/bot/index.js`) runs as
// a child process that trusts the local HTTPS Graph/Entra stand-in, Teams is played over HTTP by the
// TeamsClient, and the bot's replies land in the local Bot Connector. What the secretary sees (the progress
// card turning into the result card) is checked against what the stand-in holds afterwards. The closed
// part goes to the closed folder and lists; the chat's result card links the public document only.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docxText, TEST_USERS } from '../support/botHarness';
import { findActions } from '../support/cardActions';
import { ChildBot, freePort, killChildBots, runDriver, standInEnv, standInGraph } from '../support/childBot';
import { cardOf, cardText, Connector } from '../support/connector';
import { GraphStandIn, RequestLogEntry, StoredListItem } from '../support/graphStandIn';
import { TeamsClient } from '../support/teamsClient';
import { strings } from '../../services/i18n';
import { MeetingService } from '../../services/meeting/service';
import { seriesIdOf } from '../../services/minutes/package';
import type { SetupResult } from '../../services/minutes/setupSharePoint';
import { DEFAULT_RETRY } from '../../services/minutes/graphRetries';
import {
  ACTIONS_LIST_NAME,
  CLOSED_ACTIONS_LIST_NAME,
  CLOSED_DECISIONS_LIST_NAME,
  DECISIONS_LIST_NAME,
} from '../../services/minutes/sharePointColumns';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';

const S = strings('nl-NL');
const PUBLISHED = S.card.published(S.card.whereSharePoint);
const [FAILED_BEFORE, FAILED_AFTER] = S.card.publishFailed('\u0000').split('\u0000') as [string, string];
const TENANT = 'tenant-1';

// Meeting 1 (chat 1): after the seed of 10 October 2016, with a closed (besloten) item added.
const BODY = 'Districtelijk Veiligheidsoverleg';
const DATE = '2016-10-10';
const FOLDER = `Besluitenlijsten/${DATE} ${BODY}`;
const CLOSED_FOLDER = `Besloten/${DATE} ${BODY}`;
const OPEN_FILE = `${FOLDER}/${DATE} ${BODY} openbaar.docx`;
const CLOSED_FILE = `${CLOSED_FOLDER}/${DATE} ${BODY} besloten.docx`;
const D1_DECISION = 'Het DVO stemt in met de doorontwikkeling van de regionale samenwerking Platform IVZ.';
const D2_DECISION = 'Het DVO neemt kennis van het cultuuronderzoek Nationale Politie.';
const E_DECISION = 'De personele zaak wordt aangehouden tot de volgende vergadering.';
const D1_ACTION = 'Individuele gesprekken met deelnemers over geleverde capaciteit';
const E_ACTION = 'Dossier personele zaak aanvullen';
const MEETING_1 = [
  `vergadering\ntitel: ${BODY}\ndatum: 10-10-2016\ntijd: 10:30-12:00\nlocatie: Meldkamer Hengelo, Demmersweg 55`,
  [
    'agenda',
    'A Opening',
    'D1 Doorontwikkeling regionale samenwerking Platform IVZ [ter besluitvorming] [portefeuillehouder: Kok]',
    'D2 Cultuuronderzoek Nationale Politie [ter kennisgeving]',
    'E Personele zaak [besloten]',
    'F Sluiting',
  ].join('\n'),
  'start',
  'punt D1',
  `besluit: ${D1_DECISION} [akkoord]`,
  `actie O. van Veldhuizen: ${D1_ACTION} [voor 01-12-2016]`,
  'punt D2',
  `besluit: ${D2_DECISION} [ter kennisgeving]`,
  'punt E',
  `besluit: ${E_DECISION} [aangehouden]`,
  `actie H. Meuleman: ${E_ACTION}`,
  'sluiten',
];

// Meeting A (chat 2), published under injected faults: another body, so its folder and keys are its own.
const BODY_A = 'Regionaal Veiligheidsoverleg';
const FOLDER_A = `Besluitenlijsten/2016-11-14 ${BODY_A}`;
const MEETING_A = [
  `vergadering\ntitel: ${BODY_A}\ndatum: 14-11-2016\ntijd: 14:00-15:30`,
  'agenda\nA Opening\nD1 Cameratoezicht [ter besluitvorming]\nD2 Jaarverslag [ter kennisgeving]\nF Sluiting',
  'start',
  'punt D1',
  'besluit: Het cameratoezicht wordt met een jaar verlengd. [akkoord]',
  'actie J. Slot: Evaluatie cameratoezicht opstellen [voor 01-03-2017]',
  'punt D2',
  'besluit: Het overleg neemt kennis van het jaarverslag. [ter kennisgeving]',
  'sluiten',
];

// Meeting C (chat 4): the same title and date as meeting 1, held in another chat, with its own action 1.
const C_DECISION = 'Het DVO stemt in met de aanpak van de jeugdoverlast.';
const C_ACTION = 'Plan van aanpak jeugdoverlast opstellen';
const MEETING_C = [
  `vergadering\ntitel: ${BODY}\ndatum: 10-10-2016\ntijd: 14:00-15:00`,
  'agenda\nA Opening\nD1 Jeugdoverlast [ter besluitvorming]\nF Sluiting',
  'start',
  'punt D1',
  `besluit: ${C_DECISION} [akkoord]`,
  `actie J. Slot: ${C_ACTION} [voor 01-02-2017]`,
  'sluiten',
];

// Meeting B (chat 3, a bot with a bad client secret).
const BODY_B = 'Veiligheidsoverleg West';
const MEETING_B = [
  `vergadering\ntitel: ${BODY_B}\ndatum: 21-11-2016`,
  'agenda\nA Opening\nD1 Evenementenbeleid [ter besluitvorming]\nF Sluiting',
  'start',
  'punt D1',
  'besluit: Het evenementenbeleid wordt vastgesteld. [akkoord]',
  'sluiten',
];

function openUrls(card: Record<string, unknown>): string[] {
  return findActions(card)
    .filter((a) => a.type === 'Action.OpenUrl')
    .map((a) => String((a as unknown as { url?: unknown }).url));
}

/** The reason in a "publishing failed" card, or undefined when the card says something else. */
function failureReason(card: Record<string, unknown>): string | undefined {
  const line = cardText(card)
    .split('\n')
    .find((l) => l.startsWith(FAILED_BEFORE) && l.endsWith(FAILED_AFTER));
  return line?.slice(FAILED_BEFORE.length, line.length - FAILED_AFTER.length);
}

describe('HTTP + SharePoint: publishing through the running bot (child process) to the Graph stand-in', function () {
  this.timeout(60_000);
  let standIn: GraphStandIn;
  let setup: SetupResult;
  let connector: Connector;
  let dir: string;
  let dataDir: string;
  let port: number;
  let bot: ChildBot;
  let t: TeamsClient;
  /** Every bot child started, for the host-lookup check and the cleanup. */
  const bots: ChildBot[] = [];

  const startBot = async (opts: { dataDir: string; port: number; env?: Record<string, string> }): Promise<ChildBot> => {
    const child = await ChildBot.start({ ...opts, cwd: dir, env: { ...standInEnv(standIn, setup), ...opts.env } });
    bots.push(child);
    return child;
  };
  const say = async (client: TeamsClient, who: string, text: string): Promise<void> => {
    const answer = await client.say(who, text);
    assert.ok(answer.status >= 200 && answer.status < 300, `${text.split('\n')[0]}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  const replay = async (client: TeamsClient, lines: string[]): Promise<void> => {
    for (const line of lines) await say(client, 'secretary', line);
  };

  /**
   * The secretary types `publiceren`: the reply is the progress card, which is then edited into the result.
   * Returns the result card.
   */
  const publish = async (client: TeamsClient, timeoutMs = 20_000): Promise<Record<string, unknown>> => {
    const mark = connector.mark();
    await say(client, 'secretary', 'publiceren');
    const progress = connector.sent(client.conversationId, mark).find((e) => e.op === 'send' && cardOf(e));
    assert.ok(progress, 'the reply is a card');
    assert.match(cardText(cardOf(progress)), new RegExp(escapeRe(S.card.publishing)));
    const edits = () => connector.sent(client.conversationId, mark).filter((e) => e.op === 'update' && e.id === progress.id);
    await connector.waitFor(() => edits().length > 0, timeoutMs);
    return cardOf(edits().at(-1))!;
  };

  const listItems = (list: string, body: string): StoredListItem[] =>
    [...(standIn.list(list)?.items.values() ?? [])].filter((i) => i.fields.Vergadering === body);
  /** A meeting's decisions, public and closed (each in its own list). */
  const decisions = (body = BODY): StoredListItem[] => [
    ...listItems(DECISIONS_LIST_NAME, body),
    ...listItems(CLOSED_DECISIONS_LIST_NAME, body),
  ];
  const actions = (body = BODY): StoredListItem[] => [...listItems(ACTIONS_LIST_NAME, body), ...listItems(CLOSED_ACTIONS_LIST_NAME, body)];
  /** Nothing closed in any public list item: read every one back. */
  const assertPublicListsHoldNothingClosed = (): void => {
    for (const name of [DECISIONS_LIST_NAME, ACTIONS_LIST_NAME]) {
      for (const item of standIn.list(name)?.items.values() ?? []) {
        const text = JSON.stringify(item.fields);
        assert.equal(item.fields.Openbaarheid, 'openbaar', `${name}: ${text}`);
        for (const secret of [E_DECISION, E_ACTION, 'Personele zaak']) assert.ok(!text.includes(secret), `${name} holds "${secret}"`);
      }
    }
  };
  const requestsSince = (mark: number, method: string, pathIncludes: string): RequestLogEntry[] =>
    standIn.requests.slice(mark).filter((r) => r.method === method && r.path.includes(pathIncludes));
  const itemCreatesSince = (mark: number) => requestsSince(mark, 'POST', '/items').filter((r) => r.path.includes('/lists/'));
  const ids = (items: StoredListItem[]) => Object.fromEntries(items.map((i) => [String(i.fields.Title), i.id]));

  /**
   * The result card says "published" and links to exactly these stand-in files, by their SharePoint webUrl:
   * the public ones (the card is the chat's: it never links, or names, the closed document).
   */
  const assertPublishedCard = (card: Record<string, unknown>, paths: string[]): void => {
    const text = cardText(card);
    assert.ok(text.includes(PUBLISHED), `the card says published: ${text}`);
    assert.ok(
      !JSON.stringify(card).includes('besloten.docx') && !JSON.stringify(card).includes('Besloten/'),
      'the card names no closed document',
    );
    const urls = openUrls(card);
    assert.equal(urls.length, paths.length, `one link per file: ${urls.join(', ')}`);
    for (const url of urls) {
      assert.ok(url.startsWith(`${standIn.baseUrl}/sites/bestuur/`), `a SharePoint webUrl, not a local path: ${url}`);
    }
    assert.deepEqual(
      urls.map((u) => decodeURIComponent(new URL(u).pathname).replace(/^\/sites\/bestuur\/Gedeelde documenten\//, '')).sort(),
      [...paths].sort(),
    );
  };

  /** Reads a conversation's series from the bot's SQLite file (only while no bot has it open). */
  const readSeries = async (dataDirectory: string, conversationId: string) => {
    const store = new SqliteDocumentStore(join(dataDirectory, 'notulist.sqlite'));
    try {
      return await new MeetingService(store).read(TENANT, conversationId);
    } finally {
      await store.close();
    }
  };

  before(async () => {
    standIn = await GraphStandIn.start();
    const graph = standInGraph(standIn);
    // The publisher needs the two list ids (it does not look lists up by name): run the setup first.
    const answer = await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId });
    assert.ok(answer.ok, `setup failed: ${answer.error}\n${answer.stderr}`);
    assert.deepEqual(answer.hostLookups, []);
    setup = answer.result as SetupResult;
    standIn.resetContent();

    connector = await Connector.start(Object.values(TEST_USERS));
    dir = await mkdtemp(join(tmpdir(), 'notulist-sharepoint-bot-'));
    dataDir = join(dir, 'data');
    // The bot runs in `dir`. A .env there (or stray variables in this process) must not change anything:
    // every setting that matters is passed explicitly, and dotenv never overrides a variable that is set.
    await writeFile(
      join(dir, '.env'),
      [
        'MicrosoftAppId=00000000-0000-0000-0000-00000000dead',
        'MicrosoftAppPassword=stray',
        'DATABASE_URL=postgres://stray.invalid/notulist',
        'SHAREPOINT_DECISIONS_LIST_ID=stray-list',
        'GRAPH_CLIENT_SECRET=stray-secret',
        'DATA_DIR=/nonexistent/stray',
        '',
      ].join('\n'),
    );
    port = await freePort();
    const stray = { MicrosoftAppId: 'stray-app', DATABASE_URL: 'postgres://stray.invalid/db', SHAREPOINT_ACTIONS_LIST_ID: 'stray-list' };
    const saved = Object.fromEntries(Object.keys(stray).map((k) => [k, process.env[k]]));
    Object.assign(process.env, stray);
    try {
      bot = await startBot({ dataDir, port });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    t = new TeamsClient({ botUrl: bot.url, connector, users: TEST_USERS, tenantId: TENANT });
  });

  after(async () => {
    await Promise.allSettled(bots.filter((b) => b.alive).map((b) => b.stop(5000)));
    killChildBots();
    await connector?.stop();
    await standIn?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let firstFiles: Record<string, string>;
  let firstDecisions: Record<string, string>;
  let firstActions: Record<string, string>;

  it('publiceren: the progress card becomes the result card with SharePoint links; a folder per part, one file per part, one list item each', async () => {
    await replay(t, MEETING_1);
    const card = await publish(t);
    assertPublishedCard(card, [OPEN_FILE]);
    // The secretary's own view of that card (Teams fetches it through its refresh): the closed document
    // too, and where the closed part went.
    const progressId = connector
      .sent(t.conversationId)
      .filter((e) => e.op === 'update' && cardText(cardOf(e)).includes(PUBLISHED))
      .at(-1)!.id;
    const own = (await t.view('secretary', progressId))!;
    assert.equal(own.how, 'refresh');
    assert.ok(
      openUrls(own.card).some((u) => decodeURIComponent(u).includes('besloten.docx')),
      'the secretary gets the closed document',
    );
    assert.match(cardText(own.card), /besloten deel staat apart/);
    assert.ok(!openUrls((await t.view('member', progressId))!.card).some((u) => decodeURIComponent(u).includes('besloten')));

    assert.deepEqual(standIn.folders().sort(), ['Besloten', CLOSED_FOLDER, 'Besluitenlijsten', FOLDER].sort());
    assert.deepEqual(
      standIn
        .files()
        .map((f) => f.path)
        .sort(),
      [CLOSED_FILE, OPEN_FILE].sort(),
    );
    assert.ok(standIn.files().every((f) => f.versions === 1));
    const d = decisions();
    assert.equal(d.length, 3);
    const meetingKey = String(d[0]!.fields.Sleutel).replace(/\/\d{4}-\d\d-\d\d\/V?\d+$/, '');
    assert.deepEqual(standIn.file(OPEN_FILE)?.fields, {
      Vergadering: BODY,
      Vergaderdatum: `${DATE}T12:00:00Z`,
      Status: 'concept',
      Openbaarheid: 'openbaar',
      AantalBesluiten: 2,
      VergaderingId: meetingKey,
    });
    assert.deepEqual(standIn.file(CLOSED_FILE)?.fields, {
      Vergadering: BODY,
      Vergaderdatum: `${DATE}T12:00:00Z`,
      Status: 'concept',
      Openbaarheid: 'besloten',
      AantalBesluiten: 1,
      VergaderingId: meetingKey,
    });
    // The documents are the real rendering: the closed item only in the besloten part.
    const openText = await docTextOf(standIn.file(OPEN_FILE)!.bytes);
    const closedText = await docTextOf(standIn.file(CLOSED_FILE)!.bytes);
    assert.ok(openText.includes(D1_DECISION) && openText.includes(D1_ACTION));
    assert.ok(!openText.includes('Personele zaak') && !openText.includes(E_DECISION), 'the public part leaves the closed item out');
    assert.ok(closedText.includes(E_DECISION) && closedText.includes(E_ACTION));

    const row = (i: StoredListItem) => [i.fields.Title, i.fields.Sleutel, i.fields.Agendapunt, i.fields.Uitkomst, i.fields.Openbaarheid];
    assert.deepEqual(listItems(DECISIONS_LIST_NAME, BODY).map(row).sort(), [
      [`${DATE}/1`, `${meetingKey}/${DATE}/1`, 'D1', 'akkoord', 'openbaar'],
      [`${DATE}/2`, `${meetingKey}/${DATE}/2`, 'D2', 'ter kennisgeving', 'openbaar'],
    ]);
    // The closed decision in the closed list only.
    assert.deepEqual(listItems(CLOSED_DECISIONS_LIST_NAME, BODY).map(row), [
      // Numbered in a series of their own, so the public part shows no gaps.
      [`${DATE}/V1`, `${meetingKey}/${DATE}/V1`, 'E', 'aangehouden', 'besloten'],
    ]);
    assert.equal(d.find((i) => i.fields.Title === `${DATE}/1`)?.fields.Besluit, D1_DECISION);
    const a = actions();
    const series = seriesIdOf(TENANT, t.conversationId);
    const actionRow = (i: StoredListItem) => [
      i.fields.Title,
      i.fields.Sleutel,
      i.fields.Actiehouder,
      i.fields.Streefdatum,
      i.fields.Status,
      i.fields.Openbaarheid,
    ];
    assert.deepEqual(listItems(ACTIONS_LIST_NAME, BODY).map(actionRow), [
      ['Actie 1', `${series}/actie/1`, 'O. van Veldhuizen', '2016-12-01T12:00:00Z', 'open', 'openbaar'],
    ]);
    // On the closed item E: in the closed list only.
    assert.deepEqual(listItems(CLOSED_ACTIONS_LIST_NAME, BODY).map(actionRow), [
      ['Actie V1', `${series}/actie/V1`, 'H. Meuleman', undefined, 'open', 'besloten'],
    ]);
    assertPublicListsHoldNothingClosed();
    assert.ok(
      [...d, ...a].every((i) => i.writes === 1),
      'each list item written once',
    );

    // No duplicate creates on the wire either.
    assert.equal(requestsSince(0, 'POST', '/children').length, 4, 'four folders created, once each');
    assert.equal(requestsSince(0, 'PUT', ':/content').length, 2, 'one upload per file');
    assert.equal(itemCreatesSince(0).length, 5, 'one create per decision and action');
    assert.equal(standIn.tokenRequests, 1);
    assert.ok(standIn.requests.filter((r) => r.path.startsWith('/v1.0/')).every((r) => r.authorization));

    firstFiles = Object.fromEntries(standIn.files().map((f) => [f.path, f.id]));
    firstDecisions = ids(d);
    firstActions = ids(a);
  });

  it('429 with Retry-After, 503 and dropped connections during the bot’s publish still end with exactly one of each', async () => {
    const t2 = new TeamsClient({ botUrl: bot.url, connector, users: TEST_USERS, tenantId: TENANT });
    await replay(t2, MEETING_A);
    const mark = standIn.requests.length;
    const faults = [
      { method: 'POST', pathIncludes: '/children', drop: true, afterWrite: true }, // the folder is created, the answer lost
      { method: 'PUT', pathIncludes: ':/content', status: 429 as const, retryAfter: 1 },
      { method: 'PATCH', pathIncludes: '/listItem/fields', drop: true }, // lost before it was applied
      { method: 'POST', pathIncludes: `/lists/${setup.decisionsListId}/items`, status: 503 as const, retryAfter: 1 },
      { method: 'POST', pathIncludes: `/lists/${setup.actionsListId}/items`, drop: true, afterWrite: true },
    ];
    for (const fault of faults) standIn.inject(fault);

    const card = await publish(t2, 30_000);
    const file = `${FOLDER_A}/2016-11-14 ${BODY_A} openbaar.docx`;
    assertPublishedCard(card, [file]);
    assert.deepEqual(standIn.pendingFaults(), [], 'every fault was hit');
    const hits = standIn.requests.slice(mark).filter((r) => r.fault);
    assert.equal(hits.length, faults.length);

    assert.deepEqual(
      standIn.folders().filter((f) => f.includes(BODY_A)),
      [FOLDER_A],
      'one folder',
    );
    const files = standIn.files().filter((f) => f.path.startsWith(`${FOLDER_A}/`));
    assert.deepEqual(
      files.map((f) => [f.path, f.versions]),
      [[file, 1]],
      'one file, one version',
    );
    assert.equal(files[0]!.fields.Vergadering, BODY_A);
    assert.equal(files[0]!.fields.AantalBesluiten, 2);
    assert.equal(decisions(BODY_A).length, 2);
    assert.equal(actions(BODY_A).length, 1);
    assert.ok(
      [...decisions(BODY_A), ...actions(BODY_A)].every((i) => i.writes === 1),
      'each item written once',
    );
    // The action's create landed before its answer was lost: it was looked up, not sent again.
    assert.equal(requestsSince(mark, 'POST', `/lists/${setup.actionsListId}/items`).length, 1);
    // The 429 was retried after its Retry-After.
    const throttled = standIn.requests.slice(mark).find((r) => r.fault === '429')!;
    const retry = standIn.requests
      .slice(standIn.requests.indexOf(throttled) + 1)
      .find((r) => r.method === 'PUT' && r.path.includes(':/content'));
    assert.ok(retry && retry.at - throttled.at >= 950, 'the upload was sent again after Retry-After (1 s)');
    // Meeting 1 was not touched.
    assert.equal(standIn.file(OPEN_FILE)?.versions, 1);
    assert.equal(decisions().length + actions().length, 5);
  });

  it('publiceren again replaces the files (a new version, same ids) and updates the list items instead of adding', async () => {
    await say(t, 'secretary', 'gereed 1');
    const mark = standIn.requests.length;
    const card = await publish(t);
    assertPublishedCard(card, [OPEN_FILE]);

    for (const path of [OPEN_FILE, CLOSED_FILE]) {
      assert.equal(standIn.file(path)?.id, firstFiles[path], `${path}: the same drive item`);
      assert.equal(standIn.file(path)?.versions, 2, `${path}: a second version`);
    }
    assert.equal(standIn.files().filter((f) => f.path.startsWith(`${FOLDER}/`) || f.path.startsWith(`${CLOSED_FOLDER}/`)).length, 2);
    assertPublicListsHoldNothingClosed();
    assert.deepEqual(ids(decisions()), firstDecisions);
    assert.deepEqual(ids(actions()), firstActions);
    assert.ok(
      [...decisions(), ...actions()].every((i) => i.writes === 2),
      'each item updated once',
    );
    assert.equal(actions().find((i) => i.fields.Title === 'Actie 1')?.fields.Status, 'gereed', 'the update carries the change');
    assert.equal(itemCreatesSince(mark).length, 0, 'no list item created');
    assert.equal(requestsSince(mark, 'POST', '/children').length, 0, 'no folder created');
    assert.equal(requestsSince(mark, 'GET', '/items?').length, 0, 'known ids: no look-up by key');
  });

  it('after a restart on the same data dir the remote ids are still known: publiceren writes no new item', async () => {
    const exit = await bot.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `the bot stops cleanly on SIGTERM:\n${bot.output}`);
    const stored = (await readSeries(dataDir, t.conversationId)).meetings[0]!.minutes.publication;
    assert.equal(stored?.state, 'published');
    const { closedLocation, ...remote } = stored?.remote ?? {};
    assert.deepEqual(remote, {
      folder: standIn.file(OPEN_FILE)?.parentId,
      closedFolder: standIn.file(CLOSED_FILE)?.parentId,
      layout: 'closed-apart',
      [`file:${DATE} ${BODY} openbaar.docx`]: firstFiles[OPEN_FILE],
      [`file:${DATE} ${BODY} besloten.docx`]: firstFiles[CLOSED_FILE],
      ...Object.fromEntries(listItems(DECISIONS_LIST_NAME, BODY).map((i) => [`decision:${String(i.fields.Title)}`, i.id])),
      ...Object.fromEntries(listItems(CLOSED_DECISIONS_LIST_NAME, BODY).map((i) => [`closed-decision:${String(i.fields.Title)}`, i.id])),
      ...Object.fromEntries(listItems(ACTIONS_LIST_NAME, BODY).map((i) => [`action:${String(i.fields.Sleutel)}`, i.id])),
      ...Object.fromEntries(listItems(CLOSED_ACTIONS_LIST_NAME, BODY).map((i) => [`closed-action:${String(i.fields.Sleutel)}`, i.id])),
    });
    assert.equal(Object.keys(remote).filter((k) => /decision:|action:/.test(k)).length, 5);
    // Where the closed part went, kept with the meeting for the secretary's card (MinutesService.closedLocation).
    assert.deepEqual(JSON.parse(closedLocation ?? '{}'), {
      kind: 'sharepoint',
      description: CLOSED_FOLDER,
      url: `${standIn.baseUrl}/sites/bestuur/Gedeelde%20documenten/${CLOSED_FOLDER.split('/').map(encodeURIComponent).join('/')}`,
      records: 'lists',
    });

    bot = await startBot({ dataDir, port });
    const mark = standIn.requests.length;
    const card = await publish(t);
    assertPublishedCard(card, [OPEN_FILE]);
    assert.deepEqual(
      [OPEN_FILE, CLOSED_FILE].map((path) => [path, standIn.file(path)?.id, standIn.file(path)?.versions]),
      [
        [OPEN_FILE, firstFiles[OPEN_FILE], 3],
        [CLOSED_FILE, firstFiles[CLOSED_FILE], 3],
      ],
    );
    assert.deepEqual(ids(decisions()), firstDecisions);
    assert.deepEqual(ids(actions()), firstActions);
    assert.equal(itemCreatesSince(mark).length, 0, 'no list item created');
    assert.equal(requestsSince(mark, 'POST', '/children').length, 0, 'no folder created');
    assert.equal(requestsSince(mark, 'GET', '/items?').length, 0, 'the ids came from the store');
  });

  it('a Graph failure that does not heal: the card says so briefly, nothing is lost, and publiceren works once it is gone', async () => {
    // A 503 on every attempt the publisher makes at the first decision (the files are already replaced).
    standIn.inject({
      method: 'PATCH',
      pathIncludes: `/lists/${setup.decisionsListId}/items/`,
      status: 503,
      retryAfter: 0,
      times: DEFAULT_RETRY.maxAttempts,
    });
    const card = await publish(t);
    const reason = failureReason(card);
    assert.ok(reason !== undefined, `the card says publishing failed: ${cardText(card)}`);
    assert.match(reason, new RegExp(`^saving decision ${DATE}/1 failed \\(after ${DEFAULT_RETRY.maxAttempts} attempts\\): 503`));
    assert.ok(reason.length <= 200, `a short reason (${reason.length} characters): ${reason}`);
    // Publishing again is the secretary's: their own view of the card offers it, the posted one does not.
    const failedId = connector
      .sent(t.conversationId)
      .filter((e) => e.op === 'update' && failureReason(cardOf(e)!) !== undefined)
      .at(-1)!.id;
    assert.ok(!findActions(card).some((a) => a.title === S.actions.publish), 'members get no publish button');
    assert.ok(
      findActions((await t.view('secretary', failedId))!.card).some((a) => a.title === S.actions.publish),
      'the card offers to publish again',
    );
    assert.deepEqual(standIn.pendingFaults(), [], 'the fault is used up: Graph is healthy again');
    assert.deepEqual(ids(decisions()), firstDecisions, 'the failed publish added nothing');
    assert.deepEqual(ids(actions()), firstActions);

    // The meeting's records are intact.
    const mark = connector.mark();
    await say(t, 'member', 'besluitenlijst');
    const minutes = t.repliesText(mark);
    for (const text of [D1_DECISION, D2_DECISION, D1_ACTION]) assert.ok(minutes.includes(text), `besluitenlijst still shows "${text}"`);

    const again = await publish(t);
    assertPublishedCard(again, [OPEN_FILE]);
    assert.deepEqual(ids(decisions()), firstDecisions);
    assert.deepEqual(ids(actions()), firstActions);
    assert.equal(standIn.files().filter((f) => f.path.startsWith(`${FOLDER}/`) || f.path.startsWith(`${CLOSED_FOLDER}/`)).length, 2);
  });

  it('Graph refusing the bot’s token (401) on an upload: the card names the upload; publiceren again in the same bot writes each file and item once', async () => {
    // Refused, and the new token after it too (the stand-in refuses a refused token from then on, like a revoked one).
    standIn.inject({ method: 'PUT', pathIncludes: `${BODY} besloten.docx:/content`, status: 401, times: 2 });
    const versions = () => Object.fromEntries([OPEN_FILE, CLOSED_FILE].map((path) => [path, standIn.file(path)!.versions]));
    const writes = () => [...decisions(), ...actions()].map((i) => i.writes);
    const before = { versions: versions(), writes: writes(), tokens: standIn.tokenRequests };

    const card = await publish(t);
    const reason = failureReason(card);
    assert.ok(reason !== undefined, `the card says publishing failed: ${cardText(card)}`);
    assert.match(
      reason,
      new RegExp(`^upload of ${escapeRe(`${DATE} ${BODY}`)} besloten\\.docx failed \\(after 2 attempts\\): 401 InvalidAuthenticationToken`),
    );
    assert.ok(reason.length <= 160, `short: ${reason}`);
    assert.deepEqual(standIn.pendingFaults(), []);
    assert.equal(standIn.tokenRequests - before.tokens, 1, 'a new token after the first refusal');
    assert.deepEqual(versions(), { [OPEN_FILE]: before.versions[OPEN_FILE]! + 1, [CLOSED_FILE]: before.versions[CLOSED_FILE]! });
    assert.deepEqual(writes(), before.writes, 'no list item reached');

    // The bot's cached token is the refused one: the next publish's first request is refused, the token renewed, and on.
    const mark = standIn.requests.length;
    const again = await publish(t);
    assertPublishedCard(again, [OPEN_FILE]);
    assert.equal(standIn.requests.slice(mark).filter((r) => r.status === 401).length, 1, 'the revoked token was refused once');
    assert.equal(standIn.tokenRequests - before.tokens, 2);
    assert.deepEqual(versions(), { [OPEN_FILE]: before.versions[OPEN_FILE]! + 2, [CLOSED_FILE]: before.versions[CLOSED_FILE]! + 1 });
    assert.equal(requestsSince(mark, 'PUT', ':/content').length, 2, 'one upload per file');
    assert.equal(itemCreatesSince(mark).length, 0, 'no list item created');
    assert.deepEqual(
      writes(),
      before.writes.map((n) => n + 1),
      'each list item updated once',
    );
    assert.deepEqual(ids(decisions()), firstDecisions);
    assert.deepEqual(ids(actions()), firstActions);
  });

  it('a bad client secret: the card says publishing failed, Graph is never called, and after a restart with the right secret it works', async () => {
    const badDataDir = join(dir, 'data-bad-secret');
    const badPort = await freePort();
    let badBot = await startBot({ dataDir: badDataDir, port: badPort, env: { GRAPH_CLIENT_SECRET: 'not-the-secret' } });
    const t3 = new TeamsClient({ botUrl: badBot.url, connector, users: TEST_USERS, tenantId: TENANT });
    await replay(t3, MEETING_B);
    const mark = standIn.requests.length;
    const card = await publish(t3);
    const reason = failureReason(card);
    assert.ok(reason !== undefined, `the card says publishing failed: ${cardText(card)}`);
    assert.match(reason, /could not get a token from Entra ID/);
    assert.match(reason, /AADSTS7000215/);
    assert.match(reason, /Invalid client secret provided$/);
    assert.ok(reason.length <= 160, `short: ${reason}`);
    assert.deepEqual(
      standIn.requests.slice(mark).filter((r) => r.path.startsWith('/v1.0/')),
      [],
      'no Graph request without a token',
    );
    const marked = connector.mark();
    await say(t3, 'member', 'besluitenlijst');
    assert.ok(t3.repliesText(marked).includes('Het evenementenbeleid wordt vastgesteld.'), 'the decision is still there');

    assert.deepEqual(await badBot.stop(), { code: 0, signal: null });
    badBot = await startBot({ dataDir: badDataDir, port: badPort });
    const fixed = await publish(t3);
    assertPublishedCard(fixed, [`Besluitenlijsten/2016-11-21 ${BODY_B}/2016-11-21 ${BODY_B} openbaar.docx`]);
    assert.equal(decisions(BODY_B).length, 1);
    assert.deepEqual(await badBot.stop(), { code: 0, signal: null });
  });

  it('adopting meeting 1 in meeting 2 of the same chat republishes meeting 1 to SharePoint as "vastgesteld"', async () => {
    await replay(t, [
      `vergadering\ntitel: ${BODY}\ndatum: 12-12-2016\ntijd: 10:30-12:00`,
      'agenda\nA Opening\nC Besluitenlijst vorige vergadering\nF Sluiting',
      'start',
    ]);
    const versions = Object.fromEntries(standIn.files().map((f) => [f.path, f.versions]));
    const mark = standIn.requests.length;
    const cards = connector.mark();
    await say(t, 'secretary', 'besluit C: De besluitenlijst wordt vastgesteld. [vastgesteld]');

    // No progress card here: the result is posted as a new card when the republish is done.
    const result = () => connector.sent(t.conversationId, cards).find((e) => e.op === 'send' && cardText(cardOf(e)).includes(PUBLISHED));
    await connector.waitFor(() => result() !== undefined, 20_000);
    assertPublishedCard(cardOf(result())!, [OPEN_FILE]);

    for (const path of [OPEN_FILE, CLOSED_FILE]) {
      const file = standIn.file(path)!;
      assert.equal(file.fields.Status, 'vastgesteld', `${path}: Status`);
      assert.equal(file.versions, versions[path]! + 1, `${path}: one new version`);
      assert.equal(file.id, firstFiles[path]);
      assert.ok((await docTextOf(file.bytes)).includes('vastgesteld op'), `${path} says "vastgesteld op"`);
    }
    assert.deepEqual(
      standIn.folders().sort(),
      ['Besloten', CLOSED_FOLDER, 'Besluitenlijsten', FOLDER, FOLDER_A, `Besluitenlijsten/2016-11-21 ${BODY_B}`].sort(),
    );
    assert.deepEqual(ids(decisions()), firstDecisions);
    assert.deepEqual(ids(actions()), firstActions);
    assert.equal(itemCreatesSince(mark).length, 0, 'no list item created');
  });

  it('another chat’s meeting with the same title and date gets a folder of its own; neither chat’s documents or action 1 are replaced', async () => {
    const t4 = new TeamsClient({ botUrl: bot.url, connector, users: TEST_USERS, tenantId: TENANT });
    await replay(t4, MEETING_C);
    const series1 = seriesIdOf(TENANT, t.conversationId);
    const series4 = seriesIdOf(TENANT, t4.conversationId);
    const folder4 = `${FOLDER} (2)`;
    const file4 = `${folder4}/${DATE} ${BODY} openbaar.docx`;
    const chat1Files = () =>
      standIn
        .files()
        .filter((f) => f.path.startsWith(`${FOLDER}/`) || f.path.startsWith(`${CLOSED_FOLDER}/`))
        .map((f) => [f.path, f.id, f.versions, f.bytes.toString('base64')]);
    const actionItems = (series: string) =>
      [ACTIONS_LIST_NAME, CLOSED_ACTIONS_LIST_NAME]
        .flatMap((list) => [...(standIn.list(list)?.items.values() ?? [])])
        .filter((i) => String(i.fields.Sleutel).startsWith(`${series}/`));
    const chat1Before = chat1Files();
    assert.equal(chat1Before.length, 2);
    const chat1Actions = actionItems(series1).map((i) => ({ id: i.id, writes: i.writes, fields: { ...i.fields } }));
    assert.equal(chat1Actions.length, 2);

    for (const round of [1, 2]) {
      const mark = standIn.requests.length;
      const card = await publish(t4);
      assertPublishedCard(card, [file4]);
      assert.equal(standIn.file(file4)?.versions, round, `publish ${round}: the second chat’s own file`);
      assert.ok((await docTextOf(standIn.file(file4)!.bytes)).includes(C_DECISION));
      assert.deepEqual(chat1Files(), chat1Before, `publish ${round}: the first chat’s documents are untouched`);
      assert.deepEqual(
        actionItems(series1).map((i) => ({ id: i.id, writes: i.writes, fields: { ...i.fields } })),
        chat1Actions,
        `publish ${round}: the first chat’s action items are untouched`,
      );
      if (round === 2) assert.equal(requestsSince(mark, 'POST', '/children').length, 0, 'the republish finds its folder again');
    }
    assert.deepEqual(
      standIn.folders().filter((f) => f.startsWith(FOLDER)),
      [FOLDER, folder4],
    );
    assert.ok(!standIn.folders().some((f) => f.startsWith(`${CLOSED_FOLDER} (`)), 'no closed part, no closed folder');
    assertPublicListsHoldNothingClosed();
    const meeting4 = standIn.file(file4)?.fields.VergaderingId;
    assert.ok(typeof meeting4 === 'string' && meeting4 !== '' && meeting4 !== standIn.file(OPEN_FILE)?.fields.VergaderingId);
    const own = actionItems(series4);
    assert.deepEqual(
      own.map((i) => [i.fields.Title, i.fields.Sleutel, i.fields.Actie, i.fields.Openbaarheid, i.writes]),
      [['Actie 1', `${series4}/actie/1`, C_ACTION, 'openbaar', 2]],
    );
    assert.notEqual(own[0]!.fields.Sleutel, chat1Actions.find((i) => i.fields.Title === 'Actie 1')?.fields.Sleutel);
  });

  it('no bot tried to resolve an outside host, and every bot stops cleanly', async () => {
    assert.deepEqual(await bot.stop(), { code: 0, signal: null });
    for (const b of bots) assert.deepEqual(b.outsideLookups(), [], `outside hosts looked up:\n${b.output}`);
    assert.ok(bots.every((b) => !b.alive));
  });

  async function docTextOf(bytes: Buffer): Promise<string> {
    const file = join(dir, 'check.docx');
    await writeFile(file, bytes);
    return docxText(file);
  }
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
