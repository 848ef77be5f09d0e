// The SharePoint publisher and its setup against a local HTTPS stand-in for Entra ID + Graph, with the
// real @azure/identity and the real Graph client. They run in a child process (publishDriver) because
// Node reads NODE_EXTRA_CA_CERTS, which makes it trust the stand-in, only at start-up. The closed part
// goes to a folder and lists of its own (see also publisher.contract.test.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DriverAnswer, runDriver, standInGraph } from '../support/childBot';
import { Fault, GraphStandIn, RequestLogEntry, standInQuickXorHash } from '../support/graphStandIn';
import type { DriverGraphSettings, DriverJob, WirePackage } from '../support/publishDriver';
import type { ClosedLocation } from '../../services/minutes/publisher';
import { briefReason } from '../../bot/handlers/minutes';
import { quickXorHash } from '../../services/minutes/quickXorHash';
import {
  ACTIONS_LIST_NAME,
  CLOSED_ACTIONS_LIST_NAME,
  CLOSED_DECISIONS_LIST_NAME,
  DECISIONS_LIST_NAME,
} from '../../services/minutes/sharePointColumns';

interface PublishAnswer {
  files: { name: string; url: string }[];
  remote: Record<string, string>;
  closedLocation?: ClosedLocation;
}

interface SetupAnswer {
  driveId: string;
  libraryListId: string;
  decisionsListId: string;
  actionsListId: string;
  closedDecisionsListId: string;
  closedActionsListId: string;
  closedFolderId: string;
  created: string[];
}

function ok<T>(answer: DriverAnswer): T {
  assert.ok(answer.ok, `driver failed: ${answer.error}\n${answer.stderr}`);
  // Nothing may try to reach a host other than the stand-in (no instance discovery, no default hosts).
  assert.deepEqual(answer.hostLookups, []);
  return answer.result as T;
}

function fakeDocx(size: number, seed: string): Buffer {
  // Any bytes do: the publisher never looks inside. "PK" keeps it looking like a zip in a hex dump.
  const bytes = randomBytes(size);
  bytes.write(`PK${seed}`, 0);
  return bytes;
}

const BODY = 'Districtelijk Veiligheidsoverleg';
const DATE = '2016-10-10';
const FOLDER = `Besluitenlijsten/${DATE} ${BODY}`;
const CLOSED_FOLDER = `Besloten/${DATE} ${BODY}`;
/** Where a document of the package goes: the public one to the minutes' folder, the besloten one to the closed folder. */
const folderOf = (wire: { part: string }, n = 1): string => {
  const suffix = n === 1 ? '' : ` (${n})`;
  return wire.part === 'besloten' ? `${CLOSED_FOLDER}${suffix}` : `${FOLDER}${suffix}`;
};
/** Two chats whose meetings share the body's name and the date. */
const SERIES = 'k3Jx9QeWm1Zr7TbA';
const SERIES_2 = 'Pq8vL2nYc5Hs0XdE';
const FOLDER_2 = `${FOLDER} (2)`;
const CLOSED_FOLDER_2 = `${CLOSED_FOLDER} (2)`;
/** Every folder when both chats' meetings are published, sorted. */
const BOTH_TREES = ['Besloten', CLOSED_FOLDER, CLOSED_FOLDER_2, 'Besluitenlijsten', FOLDER, FOLDER_2].sort();

function meetingPackage(overrides: Partial<WirePackage> = {}, sizes = { open: 20_000, closed: 12_000 }): WirePackage {
  return {
    meetingId: 'meeting-1',
    seriesId: SERIES,
    meetingDate: DATE,
    body: BODY,
    status: 'concept',
    files: [
      { name: `${DATE} ${BODY} openbaar.docx`, part: 'openbaar', base64: fakeDocx(sizes.open, 'o').toString('base64') },
      {
        name: `${DATE} ${BODY} besloten.docx`,
        part: 'besloten',
        base64: fakeDocx(sizes.closed, 'b').toString('base64'),
      },
    ],
    decisions: [
      {
        key: `${DATE}/1`,
        itemCode: '2',
        itemTitle: 'Verslag',
        text: 'Het verslag wordt vastgesteld.',
        outcome: 'adopted',
        closed: false,
      },
      {
        key: `${DATE}/2`,
        itemCode: '4',
        itemTitle: "Cameratoezicht 't Zand",
        text: 'Conform advies.',
        outcome: 'agreed',
        closed: false,
      },
      {
        key: `${DATE}/3`,
        itemCode: '7',
        itemTitle: 'Personele zaak',
        text: 'Aangehouden.',
        outcome: 'deferred',
        closed: true,
      },
    ],
    actions: [
      {
        key: `${SERIES}/actie/12`,
        number: 12,
        label: '12',
        itemCode: '4',
        text: 'Evaluatie cameratoezicht opstellen',
        owner: 'Piet',
        due: '2016-12-01',
        status: 'open',
        closed: false,
      },
      // On the closed item 7.
      {
        key: `${SERIES}/actie/13`,
        number: 13,
        label: '13',
        itemCode: '7',
        text: 'Dossier personele zaak aanvullen',
        owner: 'Marie',
        status: 'open',
        closed: true,
      },
    ],
    ...overrides,
  };
}

describe('SharePoint publisher against a Graph stand-in (child process, real Graph client and @azure/identity)', function () {
  this.timeout(20_000);
  let standIn: GraphStandIn;
  let graph: DriverGraphSettings;
  let setup: SetupAnswer;

  const publishJob = (
    pkg: WirePackage,
    extra: Partial<Extract<DriverJob, { kind: 'publish' }>> = {},
  ): Extract<DriverJob, { kind: 'publish' }> => ({
    kind: 'publish',
    graph,
    siteId: standIn.siteId,
    decisionsListId: setup.decisionsListId,
    actionsListId: setup.actionsListId,
    closedDecisionsListId: setup.closedDecisionsListId,
    closedActionsListId: setup.closedActionsListId,
    // Short back-off for dropped connections (they carry no Retry-After).
    retry: { baseDelayMs: 200 },
    package: pkg,
    ...extra,
  });
  const publish = async (pkg: WirePackage, extra: Partial<Extract<DriverJob, { kind: 'publish' }>> = {}) =>
    ok<PublishAnswer>(await runDriver(standIn, publishJob(pkg, extra)));
  const decisions = () => [...(standIn.list(DECISIONS_LIST_NAME)?.items.values() ?? [])];
  const actions = () => [...(standIn.list(ACTIONS_LIST_NAME)?.items.values() ?? [])];
  const closedDecisions = () => [...(standIn.list(CLOSED_DECISIONS_LIST_NAME)?.items.values() ?? [])];
  const closedActions = () => [...(standIn.list(CLOSED_ACTIONS_LIST_NAME)?.items.values() ?? [])];
  /** Every list item, public and closed. */
  const allItems = () => [...decisions(), ...actions(), ...closedDecisions(), ...closedActions()];
  /** The package's lists as they must be after it is published with the closed lists: 2 + 1 decisions, 1 + 1 actions. */
  const assertListsHoldThePackage = () => {
    assert.equal(decisions().length, 2, 'public decisions');
    assert.equal(actions().length, 1, 'public actions');
    assert.equal(closedDecisions().length, 1, 'closed decisions');
    assert.equal(closedActions().length, 1, 'closed actions');
    assert.ok(
      [...decisions(), ...actions()].every((i) => i.fields.Openbaarheid === 'openbaar'),
      'nothing closed in a public list',
    );
  };
  const requests = (method: string, pathIncludes: string): RequestLogEntry[] =>
    standIn.requests.filter((r) => r.method === method && r.path.includes(pathIncludes));
  const listItemCreates = () => requests('POST', '/items').filter((r) => r.path.includes('/lists/'));

  before(async () => {
    standIn = await GraphStandIn.start();
    graph = standInGraph(standIn);
    setup = ok<SetupAnswer>(await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId }));
  });

  after(async () => {
    await standIn?.close();
  });

  beforeEach(() => standIn.resetContent());

  it('quickXorHash matches the published test vector, in both implementations', () => {
    const expected = Buffer.from([104, 40, 3, 27, 216, 240, 6, 16, 220, 225, 13, 114, 107, 3, 25, 0, 0, 0, 0, 0]);
    assert.equal(quickXorHash(Buffer.from('hello world')), expected.toString('base64'));
    const big = randomBytes(100_003);
    assert.equal(quickXorHash(big), standInQuickXorHash(big));
  });

  it('setupSharePoint creates the library columns, the four lists and the closed folder once; a second run changes nothing', async () => {
    assert.deepEqual(setup.created, [
      'column Vergadering on Documenten',
      'column Vergaderdatum on Documenten',
      'column Status on Documenten',
      'column Openbaarheid on Documenten',
      'column AantalBesluiten on Documenten',
      'column VergaderingId on Documenten',
      `list ${DECISIONS_LIST_NAME}`,
      `list ${ACTIONS_LIST_NAME}`,
      `list ${CLOSED_DECISIONS_LIST_NAME}`,
      `list ${CLOSED_ACTIONS_LIST_NAME}`,
      'folder Besloten',
    ]);
    const listIds = [
      setup.libraryListId,
      setup.decisionsListId,
      setup.actionsListId,
      setup.closedDecisionsListId,
      setup.closedActionsListId,
    ];
    assert.equal(new Set(listIds).size, 5, 'a list of its own each');
    const columnsBefore = listIds.map((id) => standIn.listById(id)?.columns.length);
    assert.deepEqual(
      standIn.listById(setup.closedDecisionsListId)?.columns.map((c) => c.name),
      standIn.listById(setup.decisionsListId)?.columns.map((c) => c.name),
      'the closed lists have the public ones’ columns',
    );

    // The content (the folder included) was reset after the setup in before(): the folder is made again, then nothing.
    const refolder = ok<SetupAnswer>(await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId }));
    assert.deepEqual(refolder.created, ['folder Besloten']);
    assert.deepEqual(standIn.folders(), ['Besloten'], 'the closed folder is there before anything is published, to be restricted');
    assert.equal(refolder.closedFolderId, standIn.folderId('Besloten'));
    standIn.requests.length = 0;
    const again = ok<SetupAnswer>(await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId }));
    assert.deepEqual(again.created, []);
    assert.equal(again.decisionsListId, setup.decisionsListId);
    assert.equal(again.actionsListId, setup.actionsListId);
    assert.equal(again.closedDecisionsListId, setup.closedDecisionsListId);
    assert.equal(again.closedActionsListId, setup.closedActionsListId);
    assert.deepEqual(standIn.writes(), [], 'the second run writes nothing');
    const columnsAfter = listIds.map((id) => standIn.listById(id)?.columns.length);
    assert.deepEqual(columnsAfter, columnsBefore);

    for (const name of [DECISIONS_LIST_NAME, CLOSED_DECISIONS_LIST_NAME, ACTIONS_LIST_NAME, CLOSED_ACTIONS_LIST_NAME]) {
      const key = standIn.list(name)?.columns.find((c) => c.name === 'Sleutel');
      assert.ok(key?.indexed && key.enforceUniqueValues, `Sleutel is indexed and unique on ${name}`);
    }
  });

  it('a first publish writes each file and each list item exactly once and sets the library fields', async () => {
    const pkg = meetingPackage();
    const result = await publish(pkg);

    const files = standIn.files();
    assert.equal(files.length, 2);
    assert.deepEqual(standIn.folders().sort(), ['Besloten', CLOSED_FOLDER, 'Besluitenlijsten', FOLDER].sort());
    for (const wire of pkg.files) {
      const stored = standIn.file(`${folderOf(wire)}/${wire.name}`);
      assert.ok(stored, `${wire.name} is in the meeting's ${wire.part === 'besloten' ? 'closed ' : ''}folder`);
      assert.equal(stored.versions, 1);
      assert.ok(stored.bytes.equals(Buffer.from(wire.base64, 'base64')));
    }
    assert.deepEqual(standIn.file(`${FOLDER}/${pkg.files[0].name}`)?.fields, {
      Vergadering: BODY,
      Vergaderdatum: `${DATE}T12:00:00Z`,
      Status: 'concept',
      Openbaarheid: 'openbaar',
      AantalBesluiten: 2,
      VergaderingId: 'meeting-1',
    });
    assert.equal(standIn.file(`${CLOSED_FOLDER}/${pkg.files[1].name}`)?.fields.Openbaarheid, 'besloten');
    assert.equal(
      standIn.file(`${CLOSED_FOLDER}/${pkg.files[1].name}`)?.fields.AantalBesluiten,
      1,
      'the closed document holds the closed decision',
    );

    assertListsHoldThePackage();
    assert.ok(allItems().every((i) => i.writes === 1));
    const second = decisions().find((i) => i.fields.Title === `${DATE}/2`);
    assert.deepEqual(second?.fields, {
      Title: `${DATE}/2`,
      Sleutel: `meeting-1/${DATE}/2`,
      Besluit: 'Conform advies.',
      Uitkomst: 'akkoord',
      Agendapunt: '4',
      Onderwerp: "Cameratoezicht 't Zand",
      Vergadering: BODY,
      Vergaderdatum: `${DATE}T12:00:00Z`,
      Openbaarheid: 'openbaar',
    });
    const action = actions().find((i) => i.fields.Title === 'Actie 12');
    assert.equal(action?.fields.Sleutel, `${SERIES}/actie/12`);
    assert.equal(action?.fields.Streefdatum, '2016-12-01T12:00:00Z');
    assert.equal(action?.fields.Status, 'open');
    assert.equal(action?.fields.Openbaarheid, 'openbaar');
    assert.equal(
      actions().find((i) => i.fields.Title === 'Actie 13'),
      undefined,
      'the closed action is not in the public list',
    );
    const closedAction = closedActions().find((i) => i.fields.Title === 'Actie 13');
    assert.equal(closedAction?.fields.Streefdatum, undefined);
    assert.equal(closedAction?.fields.Openbaarheid, 'besloten', 'an action on a closed item is marked besloten');
    assert.equal(closedAction?.fields.Sleutel, `${SERIES}/actie/13`);
    assert.deepEqual(
      closedDecisions().map((i) => [i.fields.Title, i.fields.Besluit, i.fields.Openbaarheid]),
      [[`${DATE}/3`, 'Aangehouden.', 'besloten']],
    );

    assert.equal(requests('PUT', ':/content').length, 2);
    assert.equal(listItemCreates().length, 5);
    assert.equal(standIn.tokenRequests, 1, 'one token for the whole publish');
    assert.ok(standIn.requests.filter((r) => r.path.startsWith('/v1.0/')).every((r) => r.authorization));
    assert.deepEqual(
      result.files.map((f) => f.name),
      pkg.files.map((f) => f.name),
    );
    assert.ok(result.files.every((f) => f.url.startsWith(`${standIn.baseUrl}/sites/`)));
    assert.deepEqual(Object.keys(result.remote).sort(), [
      `action:${SERIES}/actie/12`,
      `closed-action:${SERIES}/actie/13`,
      `closed-decision:${DATE}/3`,
      'closedFolder',
      `decision:${DATE}/1`,
      `decision:${DATE}/2`,
      `file:${pkg.files[1].name}`,
      `file:${pkg.files[0].name}`,
      'folder',
      'layout',
    ]);
    assert.equal(result.remote.folder, standIn.file(`${FOLDER}/${pkg.files[0].name}`)?.parentId);
    assert.equal(result.remote.closedFolder, standIn.file(`${CLOSED_FOLDER}/${pkg.files[1].name}`)?.parentId);
    assert.deepEqual(result.closedLocation, {
      kind: 'sharepoint',
      description: CLOSED_FOLDER,
      url: `${standIn.baseUrl}/sites/bestuur/Gedeelde%20documenten/${CLOSED_FOLDER.split('/').map(encodeURIComponent).join('/')}`,
      records: 'lists',
    });
  });

  it('a file above the simple-upload limit goes through an upload session, fragment by fragment, without a token', async () => {
    const pkg = meetingPackage({}, { open: 700 * 1024, closed: 10_000 });
    await publish(pkg, { simpleUploadLimit: 64 * 1024, uploadFragmentSize: 320 * 1024 });

    const big = standIn.file(`${FOLDER}/${pkg.files[0].name}`);
    assert.ok(big?.bytes.equals(Buffer.from(pkg.files[0].base64, 'base64')));
    assert.equal(big?.versions, 1);
    assert.equal(big?.fields.Openbaarheid, 'openbaar');
    assert.equal(requests('POST', '/createUploadSession').length, 1);
    const fragments = requests('PUT', '/upload/');
    assert.equal(fragments.length, 3, '320 KiB + 320 KiB + 60 KiB');
    assert.ok(
      fragments.every((r) => !r.authorization),
      'upload URLs are pre-authenticated',
    );
    assert.equal(requests('PUT', ':/content').length, 1, 'the small file still goes in one PUT');
  });

  // Each fault must end with exactly one version per file and one item per decision/action.
  // `sent`: how many requests matched the fault's method and path in the end (a lost answer that
  // landed is not sent again).
  const faults: {
    name: string;
    big?: boolean;
    fault: (lists: SetupAnswer) => Fault;
    waitsForRetryAfter?: boolean;
    sent: number;
  }[] = [
    {
      name: '429 with Retry-After on the simple upload',
      fault: () => ({ method: 'PUT', pathIncludes: ':/content', status: 429, retryAfter: 1 }),
      waitsForRetryAfter: true,
      sent: 3,
    },
    {
      name: '503 with Retry-After on an upload-session fragment',
      big: true,
      fault: () => ({ method: 'PUT', pathIncludes: '/upload/', status: 503, retryAfter: 1, skip: 1 }),
      waitsForRetryAfter: true,
      sent: 4,
    },
    {
      name: '429 with Retry-After on a list-item create',
      fault: (l) => ({ method: 'POST', pathIncludes: `/lists/${l.decisionsListId}/items`, status: 429, retryAfter: 1 }),
      waitsForRetryAfter: true,
      sent: 3,
    },
    {
      name: '503 with Retry-After on a list-item create',
      fault: (l) => ({ method: 'POST', pathIncludes: `/lists/${l.actionsListId}/items`, status: 503, retryAfter: 1 }),
      waitsForRetryAfter: true,
      sent: 2,
    },
    {
      name: '429 with Retry-After on a closed list-item create',
      fault: (l) => ({ method: 'POST', pathIncludes: `/lists/${l.closedDecisionsListId}/items`, status: 429, retryAfter: 1 }),
      waitsForRetryAfter: true,
      sent: 2,
    },
    {
      name: '429 with Retry-After on setting the library fields',
      fault: () => ({ method: 'PATCH', pathIncludes: '/listItem/fields', status: 429, retryAfter: 1 }),
      waitsForRetryAfter: true,
      sent: 3,
    },
    {
      name: 'a dropped connection after a list-item create was applied',
      fault: (l) => ({
        method: 'POST',
        pathIncludes: `/lists/${l.decisionsListId}/items`,
        drop: true,
        afterWrite: true,
      }),
      sent: 2,
    },
    {
      name: 'a dropped connection after a closed list-item create was applied',
      fault: (l) => ({ method: 'POST', pathIncludes: `/lists/${l.closedActionsListId}/items`, drop: true, afterWrite: true }),
      sent: 1,
    },
    {
      name: 'a dropped connection after the simple upload was applied',
      fault: () => ({ method: 'PUT', pathIncludes: ':/content', drop: true, afterWrite: true }),
      sent: 2,
    },
    {
      name: 'a dropped connection on a fragment before it was applied',
      big: true,
      fault: () => ({ method: 'PUT', pathIncludes: '/upload/', drop: true, skip: 1 }),
      sent: 4,
    },
    {
      name: 'a dropped connection after the last fragment completed the file',
      big: true,
      fault: () => ({ method: 'PUT', pathIncludes: '/upload/', drop: true, afterWrite: true, skip: 2 }),
      sent: 3,
    },
  ];

  for (const { name, big, fault, waitsForRetryAfter, sent } of faults) {
    it(`survives ${name}`, async () => {
      const injected = fault(setup);
      standIn.inject(injected);
      const pkg = meetingPackage({}, big ? { open: 700 * 1024, closed: 10_000 } : undefined);
      await publish(pkg, big ? { simpleUploadLimit: 64 * 1024, uploadFragmentSize: 320 * 1024 } : {});

      assert.deepEqual(standIn.pendingFaults(), [], 'the fault was hit');
      assert.equal(requests(injected.method ?? 'GET', injected.pathIncludes).length, sent);
      const hit = standIn.requests.findIndex((r) => r.fault !== undefined);
      if (waitsForRetryAfter) {
        const retry = standIn.requests.slice(hit + 1).find((r) => r.method === injected.method && r.path.includes(injected.pathIncludes));
        assert.ok(retry, 'the request was sent again');
        assert.ok(retry.at - standIn.requests[hit].at >= 950, 'after Retry-After (1 s)');
      }
      assert.equal(standIn.files().length, 2);
      for (const file of standIn.files()) assert.equal(file.versions, 1, `${file.name}: one version`);
      for (const wire of pkg.files) {
        assert.ok(standIn.file(`${folderOf(wire)}/${wire.name}`)?.bytes.equals(Buffer.from(wire.base64, 'base64')));
      }
      assert.ok(standIn.files().every((f) => f.fields.Vergadering === BODY));
      assertListsHoldThePackage();
      assert.ok(
        allItems().every((i) => i.writes === 1),
        'each item written once',
      );
    });
  }

  it('gives up after bounded retries with an error naming the step', async () => {
    standIn.inject({ method: 'PUT', pathIncludes: ':/content', status: 503, retryAfter: 0, times: 100 });
    const answer = await runDriver(standIn, publishJob(meetingPackage()));
    assert.equal(answer.ok, false);
    assert.match(
      answer.error ?? '',
      /^upload of 2016-10-10 Districtelijk Veiligheidsoverleg openbaar\.docx failed \(after 5 attempts\): 503/,
    );
    assert.equal(requests('PUT', ':/content').length, 5);
    assert.deepEqual(standIn.files(), []);
  });

  it('a publish that fails part way still hands back what it wrote: the next one removes a closed part no longer there', async () => {
    // Both documents go up, then the decisions list fails through all five attempts.
    standIn.inject({ method: 'POST', pathIncludes: '/lists/', status: 503, retryAfter: 0, times: 5 });
    const failed = await runDriver(standIn, publishJob(meetingPackage()));
    assert.equal(failed.ok, false);
    assert.equal(standIn.files().length, 2, 'both parts were uploaded before the failure');
    const closedName = `${DATE} ${BODY} besloten.docx`;
    assert.ok(standIn.file(`${CLOSED_FOLDER}/${closedName}`), 'in the closed folder');
    assert.ok(failed.remote?.[`file:${closedName}`], 'the closed part is named in what the failure hands back');

    assert.deepEqual(standIn.pendingFaults(), []);
    const open = meetingPackage();
    const publicOnly = meetingPackage({
      files: open.files.filter((f) => f.part === 'openbaar'),
      decisions: open.decisions.filter((d) => !d.closed),
      actions: open.actions.filter((a) => !a.closed),
    });
    await publish(publicOnly, { previous: failed.remote });
    assert.deepEqual(
      standIn.files().map((f) => f.path.split('/').pop()),
      [`${DATE} ${BODY} openbaar.docx`],
    );
  });

  it('a Retry-After longer than the bot waits ends the publish at once, saying how long SharePoint asked', async () => {
    // 121 s is above the 120 s the bot waits in one go: waiting it out would run far past this test's timeout.
    standIn.inject({ method: 'PUT', pathIncludes: ':/content', status: 429, retryAfter: 121 });
    const answer = await runDriver(standIn, publishJob(meetingPackage()));
    assert.equal(answer.ok, false);
    assert.match(
      answer.error ?? '',
      /^upload of 2016-10-10 Districtelijk Veiligheidsoverleg openbaar\.docx failed: SharePoint asked to wait 121 seconds \(429 TooManyRequests/,
    );
    assert.equal(requests('PUT', ':/content').length, 1, 'not sent again');
    assert.deepEqual(standIn.files(), []);

    // The same on an upload-session fragment: the half-uploaded session is dropped, not left to expire.
    standIn.resetContent();
    standIn.inject({ method: 'PUT', pathIncludes: '/upload/', status: 503, retryAfter: 600, skip: 1 });
    const big = meetingPackage({}, { open: 700 * 1024, closed: 10_000 });
    const session = await runDriver(standIn, publishJob(big, { simpleUploadLimit: 64 * 1024, uploadFragmentSize: 320 * 1024 }));
    assert.equal(session.ok, false);
    assert.match(session.error ?? '', /^upload of .* openbaar\.docx failed: SharePoint asked to wait 600 seconds \(fragment \d+-\d+: 503/);
    assert.equal(requests('PUT', '/upload/').length, 2, 'the first fragment, then the throttled second one; not sent again');
    assert.equal(requests('DELETE', '/upload/').length, 1, 'the upload session is dropped');
    assert.deepEqual(standIn.files(), []);
  });

  it('the waits of one publish count together: past the budget the publish ends, and the next one finishes it', async () => {
    // Scaled down: 1 s waits, 1.5 s for the whole publish. The upload waits its 1 s; the decision's 1 s would exceed it.
    const retry = { baseDelayMs: 200, maxDelaySeconds: 1, maxTotalDelaySeconds: 1.5 };
    standIn.inject({ method: 'PUT', pathIncludes: ':/content', status: 429, retryAfter: 1 });
    standIn.inject({ method: 'POST', pathIncludes: `/lists/${setup.decisionsListId}/items`, status: 429, retryAfter: 1 });
    const answer = await runDriver(standIn, publishJob(meetingPackage(), { retry }));
    assert.equal(answer.ok, false);
    assert.match(
      answer.error ?? '',
      /^saving decision 2016-10-10\/1 failed: SharePoint asked to wait 1 second more, after 1 second of waiting \(429 TooManyRequests/,
    );
    const [throttled, retried] = requests('PUT', ':/content');
    assert.ok(retried.at - throttled.at >= 1000, 'the upload waited its whole Retry-After');
    assert.equal(requests('POST', `/lists/${setup.decisionsListId}/items`).length, 1, 'the decision was not sent again');
    assert.equal(decisions().length, 0);

    const mark = standIn.requests.length;
    await publish(meetingPackage(), { retry });
    assert.ok(standIn.files().every((f) => f.versions === 2));
    assertListsHoldThePackage();
    assert.ok(allItems().every((i) => i.writes === 1));
    assert.equal(
      standIn.requests.slice(mark).filter((r) => r.method === 'POST' && r.path.includes('/lists/') && r.path.includes('/items')).length,
      5,
    );
  });

  it('a token Graph refuses (401) is renewed once; refused again, the publish fails naming the upload, and the next publish writes each once', async () => {
    const [open, closed] = meetingPackage().files.map((f) => f.name);
    // Refused once (the stand-in refuses that token from then on, as a revoked one): a new token, and on.
    standIn.inject({ method: 'PUT', pathIncludes: `${closed}:/content`, status: 401 });
    await publish(meetingPackage());
    assert.deepEqual(standIn.pendingFaults(), []);
    assert.equal(standIn.tokenRequests, 2, 'a new token after the 401');
    assert.equal(requests('PUT', `${closed}:/content`).length, 2);
    assert.ok(standIn.files().every((f) => f.versions === 1));
    assert.ok(allItems().every((i) => i.writes === 1));

    // Refused twice, the new token too: the publish stops at that upload, after the open file was written.
    standIn.resetContent();
    standIn.inject({ method: 'PUT', pathIncludes: `${closed}:/content`, status: 401, times: 2 });
    const answer = await runDriver(standIn, publishJob(meetingPackage()));
    assert.equal(answer.ok, false);
    const step =
      /^upload of 2016-10-10 Districtelijk Veiligheidsoverleg besloten\.docx failed \(after 2 attempts\): 401 InvalidAuthenticationToken: /;
    assert.match(answer.error ?? '', step);
    assert.match(briefReason(answer.error ?? ''), step, 'the card names the upload and the refusal');
    assert.equal(standIn.tokenRequests, 2);
    assert.equal(requests('PUT', `${closed}:/content`).length, 2);
    assert.deepEqual(
      standIn.files().map((f) => [f.path, f.versions]),
      [[`${FOLDER}/${open}`, 1]],
    );
    assert.equal(allItems().length, 0);

    // Publishing again (the failed publish kept no ids) finishes it: the open file replaced, not added, and each written once.
    const mark = standIn.requests.length;
    await publish(meetingPackage());
    const since = standIn.requests.slice(mark);
    assert.deepEqual(standIn.folders().sort(), ['Besloten', CLOSED_FOLDER, 'Besluitenlijsten', FOLDER].sort());
    assert.deepEqual(
      standIn
        .files()
        .map((f) => [f.name, f.versions])
        .sort(),
      [
        [closed, 1],
        [open, 2],
      ].sort(),
    );
    for (const name of [open, closed]) {
      assert.equal(since.filter((r) => r.method === 'PUT' && r.path.includes(`${name}:/content`)).length, 1, `${name}: one upload`);
    }
    assert.equal(since.filter((r) => r.method === 'POST' && r.path.includes('/lists/')).length, 5, 'one create per decision and action');
    assertListsHoldThePackage();
    assert.ok(allItems().every((i) => i.writes === 1));
  });

  it('republishing with `previous` replaces the files (a new version) and updates the list items', async () => {
    const first = await publish(meetingPackage());
    const pkg = meetingPackage({
      status: 'adopted',
      adoptedOn: '2016-11-14',
      decisions: meetingPackage().decisions.map((d) =>
        d.key === `${DATE}/2` ? { ...d, text: 'Gewijzigd vastgesteld.', outcome: 'agreedWithChanges' } : d,
      ),
      actions: meetingPackage().actions.map((a) => (a.number === 12 ? { ...a, status: 'done', due: undefined } : a)),
    });
    standIn.requests.length = 0;
    const second = await publish(pkg, { previous: first.remote });

    assert.equal(standIn.files().length, 2);
    for (const wire of pkg.files) {
      const stored = standIn.file(`${folderOf(wire)}/${wire.name}`);
      assert.equal(stored?.versions, 2);
      assert.ok(stored?.bytes.equals(Buffer.from(wire.base64, 'base64')));
      assert.equal(stored?.fields.Status, 'vastgesteld');
    }
    assertListsHoldThePackage();
    const changed = decisions().find((i) => i.fields.Title === `${DATE}/2`);
    assert.equal(changed?.fields.Besluit, 'Gewijzigd vastgesteld.');
    assert.equal(changed?.fields.Uitkomst, 'akkoord met wijzigingen');
    const done = actions().find((i) => i.fields.Title === 'Actie 12');
    assert.equal(done?.fields.Status, 'gereed');
    assert.equal(done?.fields.Streefdatum, undefined, 'a due date taken away is cleared');
    assert.equal(listItemCreates().length, 0, 'no list item created');
    assert.equal(requests('GET', '/items?').length, 0, 'known ids need no look-up');
    assert.equal(requests('GET', '/children').length, 0, 'the remembered folder is used as it is');
    assert.deepEqual(second.remote, first.remote);
  });

  it('republishing without `previous` (ids lost) finds the items by key instead of adding them', async () => {
    await publish(meetingPackage());
    await publish(meetingPackage());
    assertListsHoldThePackage();
    assert.ok(standIn.files().every((f) => f.versions === 2));
  });

  it('two publishes of the same meeting at once end with one folder, one file each and one item per key', async () => {
    // Both look up, find nothing and create: the folder's "fail" conflict behaviour and the unique
    // Sleutel column turn the loser's create into a 409, which is resolved by looking up again.
    const [a, b] = await Promise.all([publish(meetingPackage()), publish(meetingPackage())]);
    assert.deepEqual(standIn.folders().sort(), ['Besloten', CLOSED_FOLDER, 'Besluitenlijsten', FOLDER].sort());
    assert.equal(standIn.files().length, 2);
    assertListsHoldThePackage();
    assert.deepEqual(
      Object.keys(a.remote)
        .filter((k) => !k.startsWith('file:'))
        .map((k) => a.remote[k]),
      Object.keys(b.remote)
        .filter((k) => !k.startsWith('file:'))
        .map((k) => b.remote[k]),
    );
  });

  it('a republish removes the files and decisions the meeting no longer has (the closed part from the closed folder and list), and keeps actions', async () => {
    const first = await publish(meetingPackage());
    const full = meetingPackage();
    const pkg = meetingPackage({
      files: full.files.filter((f) => f.part === 'openbaar'),
      decisions: full.decisions.filter((d) => !d.closed),
      actions: full.actions.slice(0, 1),
    });
    const second = await publish(pkg, { previous: first.remote });
    assert.deepEqual(
      standIn.files().map((f) => f.path),
      [`${FOLDER}/${pkg.files[0].name}`],
    );
    assert.equal(decisions().length, 2);
    assert.equal(closedDecisions().length, 0, 'the closed decision is gone from the closed list');
    assert.equal(actions().length + closedActions().length, 2, 'actions carry over between meetings: never removed');
    assert.equal(second.remote[`closed-decision:${DATE}/3`], undefined);
    assert.equal(second.closedLocation, undefined);
  });

  it('an item that turned closed moves its decision and action from the public lists to the closed ones, and back', async () => {
    const full = meetingPackage();
    const allPublic = meetingPackage({
      files: full.files.filter((f) => f.part === 'openbaar'),
      decisions: full.decisions.map((d) => ({ ...d, closed: false })),
      actions: full.actions.map((a) => ({ ...a, closed: false })),
    });
    const first = await publish(allPublic);
    assert.equal(decisions().length, 3);
    assert.equal(actions().length, 2);
    const second = await publish(meetingPackage(), { previous: first.remote });
    assertListsHoldThePackage();
    assert.ok(!actions().some((i) => i.fields.Sleutel === `${SERIES}/actie/13`), 'the closed action left the public list');
    const third = await publish(allPublic, { previous: second.remote });
    assert.equal(decisions().length, 3);
    assert.equal(actions().length, 2);
    assert.equal(closedDecisions().length + closedActions().length, 0, 'public again: out of the closed lists');
    assert.deepEqual(
      standIn.files().map((f) => f.path),
      [`${FOLDER}/${full.files[0].name}`],
    );
    assert.equal(third.closedLocation, undefined);
  });

  it('a meeting an older version published (the besloten document beside the public one, closed records in the public lists) is put right by the next publish', async () => {
    const full = meetingPackage();
    // The older layout, as the version before the closed folder and lists wrote it: without the closed lists and folder.
    const older = await publish(full, { closedDecisionsListId: undefined, closedActionsListId: undefined });
    // Made to look like it: the besloten document in the public folder, the closed records in the public lists.
    standIn.removeItem(CLOSED_FOLDER);
    standIn.seedFile(`${FOLDER}/${full.files[1].name}`, Buffer.from(full.files[1].base64, 'base64'), {
      Openbaarheid: 'besloten',
      VergaderingId: 'meeting-1',
    });
    const publicDecisions = standIn.list(DECISIONS_LIST_NAME)!;
    const publicActions = standIn.list(ACTIONS_LIST_NAME)!;
    const seed = (list: typeof publicDecisions, fields: Record<string, unknown>) => {
      const id = String(list.nextItemId++);
      list.items.set(id, { id, fields, writes: 1 });
      return id;
    };
    const closedDecisionId = seed(publicDecisions, {
      Title: `${DATE}/3`,
      Sleutel: `meeting-1/${DATE}/3`,
      Besluit: 'Aangehouden.',
      Openbaarheid: 'besloten',
    });
    seed(publicActions, {
      Title: 'Actie 13',
      Sleutel: `${SERIES}/actie/13`,
      Actie: 'Dossier personele zaak aanvullen',
      Openbaarheid: 'besloten',
    });
    // What that version kept: the folder, the files, the decisions and actions, all by the public keys;
    // the besloten document's id is not there (lost), so it must be found by its name.
    const { layout: _layout, closedFolder: _closedFolder, [`file:${full.files[1].name}`]: _closedFile, ...olderRemote } = older.remote;
    const previous = { ...olderRemote, [`decision:${DATE}/3`]: closedDecisionId };

    const result = await publish(full, { previous });
    assertListsHoldThePackage();
    assert.deepEqual(
      standIn
        .files()
        .map((f) => f.path)
        .sort(),
      [`${CLOSED_FOLDER}/${full.files[1].name}`, `${FOLDER}/${full.files[0].name}`].sort(),
      'the besloten document only in the closed folder',
    );
    assert.equal(result.remote.layout, 'closed-apart');
    // Once put right, a republish no longer looks for leftovers.
    standIn.requests.length = 0;
    await publish(full, { previous: result.remote });
    assert.equal(requests('GET', '/items?').length, 0);
  });

  // -- two chats, one title, one date ---------------------------------------------------------------

  /** The meeting of another chat with the same body's name on the same date (its own meeting and series id). */
  const secondChatPackage = (): WirePackage =>
    meetingPackage({
      meetingId: 'meeting-2',
      seriesId: SERIES_2,
      actions: meetingPackage().actions.map((a) => ({ ...a, key: `${SERIES_2}/actie/${a.number}`, text: `${a.text} (chat 2)` })),
    });
  const versionsIn = (folder: string): number[] =>
    standIn
      .files()
      .filter((f) => f.path.startsWith(`${folder}/`))
      .map((f) => f.versions);
  const urlPaths = (result: PublishAnswer): string[] => result.files.map((f) => decodeURIComponent(new URL(f.url).pathname));

  it('two chats’ meetings with the same body and date get a folder each, and their action items keep apart', async () => {
    const a = meetingPackage();
    const b = secondChatPackage();
    const first = await publish(a);
    const second = await publish(b);

    assert.deepEqual(standIn.folders().sort(), BOTH_TREES);
    assert.equal(standIn.files().length, 4);
    for (const [n, pkg] of [
      [1, a],
      [2, b],
    ] as const) {
      for (const wire of pkg.files) {
        const folder = folderOf(wire, n);
        const stored = standIn.file(`${folder}/${wire.name}`);
        assert.ok(stored, `${folder}/${wire.name} is there`);
        assert.ok(stored.bytes.equals(Buffer.from(wire.base64, 'base64')), `${folder}/${wire.name} holds its own meeting's document`);
        assert.equal(stored.versions, 1, `${folder}/${wire.name}: not replaced by the other meeting`);
        assert.equal(stored.fields.VergaderingId, pkg.meetingId);
      }
    }
    assert.deepEqual(
      urlPaths(second),
      b.files.map((f) => `/sites/bestuur/Gedeelde documenten/${folderOf(f, 2)}/${f.name}`),
      'the links point at the second folders',
    );
    assert.deepEqual(
      urlPaths(first),
      a.files.map((f) => `/sites/bestuur/Gedeelde documenten/${folderOf(f)}/${f.name}`),
    );
    assert.notEqual(first.remote.folder, second.remote.folder);
    assert.notEqual(first.remote.closedFolder, second.remote.closedFolder);
    assert.equal(second.closedLocation?.description, CLOSED_FOLDER_2, 'the closed folder is named like the public one');

    assert.deepEqual(
      actions()
        .map((i) => i.fields.Sleutel)
        .sort(),
      [`${SERIES_2}/actie/12`, `${SERIES}/actie/12`],
    );
    assert.deepEqual(
      closedActions()
        .map((i) => i.fields.Sleutel)
        .sort(),
      [`${SERIES_2}/actie/13`, `${SERIES}/actie/13`],
    );
    assert.ok(
      [...actions(), ...closedActions()].every((i) => i.writes === 1),
      'neither chat’s “Actie 12” overwrote the other’s',
    );
    assert.equal(actions().find((i) => i.fields.Sleutel === `${SERIES}/actie/12`)?.fields.Actie, 'Evaluatie cameratoezicht opstellen');
    assert.equal(decisions().length, 4);
    assert.equal(closedDecisions().length, 2);

    // Republishing, with and without the remembered ids, goes back to each meeting's own folder.
    const republish: [WirePackage, Record<string, string> | undefined, string][] = [
      [meetingPackage(), first.remote, FOLDER],
      [secondChatPackage(), undefined, FOLDER_2],
      [meetingPackage(), undefined, FOLDER],
      [secondChatPackage(), second.remote, FOLDER_2],
    ];
    const expected: Record<string, number> = { [FOLDER]: 1, [FOLDER_2]: 1 };
    for (const [pkg, previous, folder] of republish) {
      standIn.requests.length = 0;
      const result = await publish(pkg, { previous });
      expected[folder] += 1;
      const what = `${pkg.meetingId} → ${folder}`;
      assert.deepEqual(versionsIn(FOLDER), [expected[FOLDER]], what);
      assert.deepEqual(versionsIn(CLOSED_FOLDER), [expected[FOLDER]], what);
      assert.deepEqual(versionsIn(FOLDER_2), [expected[FOLDER_2]], what);
      assert.deepEqual(versionsIn(CLOSED_FOLDER_2), [expected[FOLDER_2]], what);
      const own = folder === FOLDER ? first : second;
      assert.equal(result.remote.folder, own.remote.folder);
      assert.equal(result.remote.closedFolder, own.remote.closedFolder);
      assert.equal(requests('POST', '/children').length, 0, 'no folder created');
      if (previous) assert.equal(requests('GET', '/children').length, 0, 'a remembered folder needs no look at its files');
    }
    assert.deepEqual(standIn.folders().sort(), BOTH_TREES);
    assert.equal(standIn.files().length, 4);
    assert.equal(actions().length + closedActions().length, 4);
    assert.equal(decisions().length + closedDecisions().length, 6);
  });

  it('a lost answer on creating a meeting’s folder still ends with one folder for that meeting', async () => {
    // The first meeting's "<date> <body>" (the second create: "Besluitenlijsten" comes first).
    standIn.inject({ method: 'POST', pathIncludes: '/children', drop: true, afterWrite: true, skip: 1 });
    const first = await publish(meetingPackage());
    assert.deepEqual(standIn.pendingFaults(), []);
    assert.equal(requests('POST', '/children').length, 5, 'Besluitenlijsten, the create, its repeat (409); Besloten, its meeting folder');

    // The second meeting's "(2)", in the closed folder this time.
    standIn.requests.length = 0;
    standIn.inject({ method: 'POST', pathIncludes: '/children', drop: true, afterWrite: true, skip: 1 });
    const b = secondChatPackage();
    const second = await publish(b);
    assert.deepEqual(standIn.pendingFaults(), []);
    assert.equal(requests('POST', '/children').length, 3, 'the public (2); the closed (2), its repeat (409)');

    assert.deepEqual(standIn.folders().sort(), BOTH_TREES);
    for (const folder of [FOLDER, FOLDER_2, CLOSED_FOLDER, CLOSED_FOLDER_2]) assert.deepEqual(versionsIn(folder), [1], folder);
    assert.ok(standIn.files().every((f) => f.fields.VergaderingId === (/ \(2\)\//.test(f.path) ? 'meeting-2' : 'meeting-1')));
    assert.equal(second.remote.closedFolder, standIn.file(`${CLOSED_FOLDER_2}/${b.files[1].name}`)?.parentId);
    assert.equal(first.remote.folder, standIn.file(`${FOLDER}/${meetingPackage().files[0].name}`)?.parentId);
    assert.equal(second.remote.folder, standIn.file(`${FOLDER_2}/${b.files[0].name}`)?.parentId);
  });

  it('a folder whose files carry no meeting id (an older version) is taken over; another meeting’s file on a later page keeps the next one out', async () => {
    const a = meetingPackage();
    standIn.seedFile(`${FOLDER}/${a.files[0].name}`, fakeDocx(1000, 'x'), { Vergadering: BODY, Status: 'concept' });
    await publish(a);
    assert.deepEqual(standIn.folders().sort(), ['Besloten', CLOSED_FOLDER, 'Besluitenlijsten', FOLDER].sort());
    const taken = standIn.file(`${FOLDER}/${a.files[0].name}`);
    assert.equal(taken?.versions, 2, 'the older version’s file is replaced');
    assert.equal(taken?.fields.VergaderingId, 'meeting-1');

    // A file of nobody's on the first page, the first meeting's on the next: the listing is read to the end.
    standIn.seedFile(`${FOLDER}/0 agenda.pdf`, fakeDocx(500, 'a'));
    standIn.childrenPageSize = 1;
    standIn.requests.length = 0;
    const b = secondChatPackage();
    await publish(b);
    assert.ok(
      requests('GET', '/children').some((r) => r.path.includes('$skiptoken=')),
      'the next page was read',
    );
    assert.deepEqual(standIn.folders().sort(), BOTH_TREES);
    assert.deepEqual(versionsIn(FOLDER_2), [1]);
    assert.deepEqual(versionsIn(CLOSED_FOLDER_2), [1]);
    assert.equal(standIn.file(`${FOLDER}/${a.files[0].name}`)?.versions, 2, 'the first meeting’s file is left alone');
  });

  it('a remembered folder that was deleted in SharePoint: the republish finds the meeting’s place again', async () => {
    const first = await publish(meetingPackage());
    const second = await publish(secondChatPackage());

    standIn.removeItem(FOLDER_2);
    standIn.removeItem(CLOSED_FOLDER_2);
    const again = await publish(secondChatPackage(), { previous: second.remote });
    assert.deepEqual(standIn.folders().sort(), BOTH_TREES, 'the first meeting’s folders are still not used');
    for (const folder of [FOLDER, FOLDER_2, CLOSED_FOLDER, CLOSED_FOLDER_2]) assert.deepEqual(versionsIn(folder), [1], folder);
    assert.notEqual(again.remote.folder, second.remote.folder);
    assert.notEqual(again.remote.closedFolder, second.remote.closedFolder);

    standIn.removeItem(FOLDER);
    const back = await publish(meetingPackage(), { previous: first.remote });
    assert.deepEqual(standIn.folders().sort(), BOTH_TREES);
    assert.deepEqual(versionsIn(FOLDER), [1]);
    assert.deepEqual(versionsIn(CLOSED_FOLDER), [2], 'the remembered closed folder is still there: replaced in place');
    assert.deepEqual(versionsIn(FOLDER_2), [1]);
    assert.equal(back.remote.folder, standIn.file(`${FOLDER}/${meetingPackage().files[0].name}`)?.parentId);
  });

  it('a meeting whose title changed since its last publish moves to a folder with the new name', async () => {
    const first = await publish(meetingPackage());
    const body = `${BODY} Oost`;
    const renamed = meetingPackage({
      body,
      files: meetingPackage().files.map((f) => ({ ...f, name: f.name.replace(BODY, body) })),
    });
    const second = await publish(renamed, { previous: first.remote });
    assert.deepEqual(
      standIn.folders().sort(),
      ['Besloten', CLOSED_FOLDER, `Besloten/${DATE} ${body}`, 'Besluitenlijsten', FOLDER, `Besluitenlijsten/${DATE} ${body}`].sort(),
    );
    assert.deepEqual(versionsIn(`Besluitenlijsten/${DATE} ${body}`), [1]);
    assert.deepEqual(versionsIn(`Besloten/${DATE} ${body}`), [1]);
    assert.deepEqual(versionsIn(FOLDER), [], 'the files under the old name are removed');
    assert.deepEqual(versionsIn(CLOSED_FOLDER), [], 'the closed one too');
    assert.notEqual(second.remote.folder, first.remote.folder);
  });

  it('setupSharePoint adds the columns a library or list set up by an older version lacks', async () => {
    const library = standIn.listById(setup.libraryListId)!;
    const actionList = standIn.listById(setup.actionsListId)!;
    library.columns.splice(
      library.columns.findIndex((c) => c.name === 'VergaderingId'),
      1,
    );
    actionList.columns.splice(
      actionList.columns.findIndex((c) => c.name === 'Openbaarheid'),
      1,
    );
    const again = ok<SetupAnswer>(await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId }));
    // The folder too: the content (the folder included) is reset before each test.
    assert.deepEqual(again.created, [
      'column VergaderingId on Documenten',
      `column Openbaarheid on ${ACTIONS_LIST_NAME}`,
      'folder Besloten',
    ]);
    assert.equal(again.actionsListId, setup.actionsListId);
    assert.equal(library.columns.find((c) => c.name === 'VergaderingId')?.type, 'text');
    assert.deepEqual(actionList.columns.find((c) => c.name === 'Openbaarheid')?.choices, ['openbaar', 'besloten']);
  });

  it('a bad client secret fails with a clear error and writes nothing', async () => {
    const answer = await runDriver(standIn, publishJob(meetingPackage(), { graph: { ...graph, clientSecret: 'not-the-secret' } }));
    assert.equal(answer.ok, false);
    assert.match(answer.error ?? '', /could not get a token from Entra ID/);
    assert.match(answer.error ?? '', /AADSTS7000215/);
    assert.deepEqual(answer.hostLookups, []);
    assert.deepEqual(
      standIn.requests.filter((r) => r.path.startsWith('/v1.0/')),
      [],
      'no Graph request without a token',
    );
    assert.deepEqual(standIn.files(), []);
    assert.equal(allItems().length, 0);
  });
});
