// A crash in the middle of publishing loses nothing: the bot (a child process) is killed with SIGKILL
// while SharePoint has asked it to wait (429 + Retry-After), and the next start finishes that publish,
// writes each file and list item once, and turns the secretary's "bezig…" card into the result.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_USERS } from '../support/botHarness';
import { ChildBot, freePort, killChildBots, runDriver, standInEnv, standInGraph } from '../support/childBot';
import { cardOf, cardText, Connector } from '../support/connector';
import { GraphStandIn } from '../support/graphStandIn';
import { TeamsClient } from '../support/teamsClient';
import { strings } from '../../services/i18n';
import type { SetupResult } from '../../services/minutes/setupSharePoint';
import { ACTIONS_LIST_NAME, DECISIONS_LIST_NAME } from '../../services/minutes/sharePointColumns';

const S = strings('nl-NL');
const BODY = 'Stuurgroep Zorg en Veiligheid';
const MEETING = [
  `vergadering\ntitel: ${BODY}\ndatum: 02-03-2027\ntijd: 14:00-15:30`,
  'agenda\nA Opening\nB Zorgcoördinatie [ter besluitvorming]\nC Sluiting',
  'start',
  'punt B',
  'besluit: De stuurgroep stemt in met de zorgcoördinatie. [akkoord]',
  'actie G.J. Kok: Convenant opstellen [voor 01-04-2027]',
  'sluiten',
];

describe('HTTP: a crash while publishing (SIGKILL), then a restart', function () {
  this.timeout(90_000);
  let standIn: GraphStandIn;
  let setup: SetupResult;
  let connector: Connector;
  let dir: string;
  const bots: ChildBot[] = [];

  before(async () => {
    standIn = await GraphStandIn.start();
    const graph = standInGraph(standIn);
    const answer = await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId });
    assert.ok(answer.ok, `setup failed: ${answer.error}\n${answer.stderr}`);
    setup = answer.result as SetupResult;
    standIn.resetContent();
    connector = await Connector.start(Object.values(TEST_USERS));
    dir = await mkdtemp(join(tmpdir(), 'notulist-crash-'));
  });

  after(async () => {
    await Promise.allSettled(bots.filter((b) => b.alive).map((b) => b.stop(5000)));
    killChildBots();
    await connector?.stop();
    await standIn?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the next start finishes the interrupted publish exactly once and updates the progress card', async () => {
    const port = await freePort();
    const start = async () => {
      const bot = await ChildBot.start({ port, dataDir: join(dir, 'data'), cwd: dir, env: standInEnv(standIn, setup) });
      bots.push(bot);
      return bot;
    };
    const first = await start();
    const t = new TeamsClient({ botUrl: first.url, connector, users: TEST_USERS, tenantId: 'tenant-1' });
    for (const line of MEETING) assert.equal((await t.say('secretary', line)).status, 200, line);

    // SharePoint throttles the upload for 20 s: the bot waits, as Retry-After asks, and is killed meanwhile.
    standIn.inject({ method: 'PUT', pathIncludes: ':/content', status: 429, retryAfter: 20 });
    const mark = connector.mark();
    assert.equal((await t.say('secretary', 'publiceren')).status, 200);
    const progress = connector.sent(t.conversationId, mark).find((e) => e.op === 'send' && cardOf(e));
    assert.ok(progress, 'a progress card');
    assert.match(cardText(cardOf(progress)), /wordt gepubliceerd/);
    await connector.waitFor(() => standIn.requests.some((r) => r.fault === '429'), 15_000);
    first.kill();
    await first.stop();
    assert.equal(standIn.files().length, 0, 'nothing uploaded before the crash');

    // The restart finishes it: one file, one decision, one action, and the same card now says published.
    const second = await start();
    const edits = () => connector.sent(t.conversationId, mark).filter((e) => e.op === 'update' && e.id === progress.id);
    await connector.waitFor(() => edits().length > 0, 20_000);
    assert.match(cardText(cardOf(edits().at(-1))), new RegExp(S.card.published(S.card.whereSharePoint).replace(/[.()]/g, '\\$&')));
    assert.deepEqual(
      standIn.files().map((f) => f.path.split('/').pop()),
      [`2027-03-02 ${BODY} openbaar.docx`],
    );
    assert.equal(standIn.list(DECISIONS_LIST_NAME)?.items.size, 1);
    assert.equal(standIn.list(ACTIONS_LIST_NAME)?.items.size, 1);

    // Done means done: a further restart has nothing left to finish.
    const before = standIn.requests.length;
    await second.stop();
    const third = await start();
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(standIn.requests.length, before, 'no publish on the third start');
    assert.equal(edits().length, 1);
    await third.stop();
  });
});
