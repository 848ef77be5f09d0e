// A crash at any moment of a publish strands nothing (issue 12 item 1). The bot (a child process) is
// killed with SIGKILL at three moments, each held by an inert test hook:
//   (a) right after the `publiceren` request arrived, its publishing state stored, before any reply
//       (NOTULIST_TEST_HOOK_PAUSE_PUBLISH=begun);
//   (b) while the closed part's temporary file exists (NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE=besloten);
//   (c) after every file is uploaded and renamed into place, before the outcome is stored
//       (NOTULIST_TEST_HOOK_PAUSE_PUBLISH=uploaded).
// At the kill, the store holds the publishing state and the job together (one write). After a restart on
// the same data dir: the publish is finished exactly once (one result, one set of documents), nothing is
// left 'publishing', a new `publiceren` is accepted at once, no job stays listed and no temporary file
// remains.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strings } from '../../services/i18n';
import { MeetingService } from '../../services/meeting/service';
import type { Publication } from '../../services/meeting/types';
import { CLOSED_RECORDS_FILE, RECORDS_FILE } from '../../services/minutes/folderPublisher';
import { PendingPublishes, type PendingPublish } from '../../services/minutes/pendingPublishes';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { TEST_USERS } from '../support/botHarness';
import { ChildBot, freePort, killChildBots } from '../support/childBot';
import { cardOf, cardText, Connector } from '../support/connector';
import { allFiles } from '../support/files';
import { TeamsClient } from '../support/teamsClient';

const S = strings('nl-NL');
const BODY = 'Stuurgroep Zorg en Veiligheid';
const BASE = `2027-03-02 ${BODY}`;
const MEETING = [
  `vergadering\ntitel: ${BODY}\ndatum: 02-03-2027\ntijd: 14:00-15:30`,
  'agenda\nA Opening\nB Zorgcoördinatie [ter besluitvorming]\nC Voordracht [besloten]\nD Sluiting',
  'start',
  'punt B',
  'besluit: De stuurgroep stemt in met de zorgcoördinatie. [akkoord]',
  'punt C',
  'besluit: De stuurgroep houdt de voordracht vertrouwelijk aan. [aangehouden]',
  'sluiten',
];
const PUBLISHED = S.card.published(S.card.whereFolder);

/** What the store holds for the chat's meeting, read while no bot has it open. */
async function stored(dataDir: string, t: TeamsClient): Promise<{ publication?: Publication; jobs: PendingPublish[] }> {
  const store = new SqliteDocumentStore(join(dataDir, 'notulist.sqlite'));
  try {
    const series = await new MeetingService(store).read(t.tenantId, t.conversationId);
    assert.equal(series.meetings.length, 1);
    return { publication: series.meetings[0]!.minutes.publication, jobs: await new PendingPublishes(store).list() };
  } finally {
    await store.close();
  }
}

interface CrashPoint {
  title: string;
  hook: Record<string, string>;
  /** The line the hook writes on stderr when the bot is held at that moment. */
  held: RegExp;
  /** Whether the turn has answered (the progress card is posted) before the moment. */
  answered: boolean;
  /** How many documents are in place at the moment (the public one is written before the closed one). */
  documentsInPlace: number;
}

const POINTS: CrashPoint[] = [
  {
    title: '(a) right after the publiceren request arrived, before its reply is sent',
    hook: { NOTULIST_TEST_HOOK_PAUSE_PUBLISH: 'begun' },
    held: /\[test hook\] publish paused at begun/,
    answered: false,
    documentsInPlace: 0,
  },
  {
    title: '(b) while the closed part’s temporary file exists',
    hook: { NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE: 'besloten' },
    held: /\[test hook\] paused after writing the temporary file /,
    answered: true,
    documentsInPlace: 1,
  },
  {
    title: '(c) after the upload and rename, before the outcome is stored',
    hook: { NOTULIST_TEST_HOOK_PAUSE_PUBLISH: 'uploaded' },
    held: /\[test hook\] publish paused at uploaded/,
    answered: true,
    documentsInPlace: 2,
  },
];

describe('HTTP: a SIGKILL at each moment of a publish, then a restart on the same data', function () {
  this.timeout(60_000);
  let connector: Connector;
  let dir: string;
  const bots: ChildBot[] = [];

  before(async () => {
    connector = await Connector.start(Object.values(TEST_USERS));
    dir = await mkdtemp(join(tmpdir(), 'notulist-crash-points-'));
  });

  after(async () => {
    await Promise.allSettled(bots.filter((b) => b.alive).map((b) => b.stop(5000)));
    killChildBots();
    await connector?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  POINTS.forEach((point, n) => {
    it(`${point.title}: finished once, nothing left publishing, a new publish accepted at once`, async () => {
      const dataDir = join(dir, `data-${n}`);
      const minutesDir = join(dataDir, 'minutes');
      const closedDir = join(minutesDir, 'besloten');
      const port = await freePort();
      const start = async (env: Record<string, string>) => {
        const bot = await ChildBot.start({ port, dataDir, cwd: dir, env });
        bots.push(bot);
        return bot;
      };
      const first = await start(point.hook);
      const t = new TeamsClient({ botUrl: first.url, connector, users: TEST_USERS, tenantId: 'tenant-1' });
      for (const line of MEETING) assert.equal((await t.say('secretary', line)).status, 200, line);

      // The moment: the bot is held there by the hook, and killed.
      const mark = connector.mark();
      const request = t.say('secretary', 'publiceren').then(
        (answer) => answer.status,
        () => 'no answer' as const,
      );
      await connector.waitFor(() => point.held.test(first.output), 20_000);
      if (point.answered) assert.equal(await request, 200);
      const progress = connector.sent(t.conversationId, mark).find((e) => e.op === 'send' && cardOf(e));
      assert.equal(!!progress, point.answered, point.answered ? 'the progress card was posted' : 'nothing was answered yet');
      const docs = allFiles(minutesDir).filter((f) => f.endsWith('.docx'));
      assert.equal(docs.length, point.documentsInPlace, `documents in place at the moment: ${docs.join(', ')}`);
      first.kill();
      await first.stop();
      if (!point.answered) assert.equal(await request, 'no answer');

      // What the kill left: the publishing state and the job listed for a restart, together.
      const atKill = await stored(dataDir, t);
      assert.equal(atKill.publication?.state, 'publishing');
      assert.deepEqual(
        atKill.jobs.map((j) => [j.tenantId, j.conversationId]),
        [[t.tenantId, t.conversationId]],
        'the job is listed in the same write as the publishing state',
      );

      // The restart finishes it, once: the progress card (or, when none was posted, a new card) says so.
      const restart = connector.mark();
      const second = await start({});
      const results = () =>
        connector
          .sent(t.conversationId, mark)
          .filter((e) => (e.op === 'update' || e.op === 'send') && cardText(cardOf(e)).includes(PUBLISHED));
      await connector.waitFor(() => results().length > 0, 20_000);
      const result = results()[0]!;
      if (progress) assert.deepEqual([result.op, result.id], ['update', progress.id], 'the progress card turned into the result');
      else assert.equal(result.op, 'send', 'a result card, since no progress card was posted');
      assert.ok(result.seq > connector.log[restart - 1]!.seq, 'the result came after the restart');

      // A new publish is accepted at once (nothing looks under way), and finishes too.
      const again = connector.mark();
      assert.equal((await t.say('secretary', 'publiceren')).status, 200);
      const againSent = connector.sent(t.conversationId, again);
      assert.ok(!t.repliesText(again).includes(S.done.publishBusy()), 'not "already under way"');
      const newProgress = againSent.find((e) => e.op === 'send' && cardText(cardOf(e)).includes(S.card.publishing));
      assert.ok(newProgress, 'a new progress card');
      await connector.waitFor(
        () => connector.sent(t.conversationId, again).some((e) => e.op === 'update' && e.id === newProgress.id),
        20_000,
      );
      assert.ok(cardText(cardOf(connector.sent(t.conversationId, again).at(-1))).includes(PUBLISHED));
      assert.equal(
        results().filter((e) => e.seq < newProgress.seq).length,
        1,
        'the interrupted publish finished exactly once (one result before the new publish)',
      );
      await second.stop();

      // One set of documents, no temporary file, published, nothing listed.
      const open = allFiles(minutesDir).filter((f) => !join(minutesDir, f).startsWith(`${closedDir}/`));
      assert.deepEqual(open, [`${BASE}/${BASE} openbaar.docx`, `${BASE}/${RECORDS_FILE}`]);
      assert.deepEqual(allFiles(closedDir), [`${BASE}/${BASE} besloten.docx`, `${BASE}/${CLOSED_RECORDS_FILE}`]);
      const after = await stored(dataDir, t);
      assert.equal(after.publication?.state, 'published');
      assert.deepEqual(after.jobs, [], 'no publish stays listed');
    });
  });
});
