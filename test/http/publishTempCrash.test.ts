// A crash while the minutes are written to the folder leaves nothing behind: the bot (a child process) is
// killed with SIGKILL at the moment a temporary file exists (held there by the test hook
// NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE), restarted, and then no temporary file is left anywhere under
// MINUTES_DIR or MINUTES_CLOSED_DIR, the publish is finished, and the secretary's card says so.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { strings } from '../../services/i18n';
import { CLOSED_RECORDS_FILE, RECORDS_FILE } from '../../services/minutes/folderPublisher';
import { TEST_USERS } from '../support/botHarness';
import { ChildBot, freePort, killChildBots } from '../support/childBot';
import { cardOf, cardText, Connector } from '../support/connector';
import { allFiles } from '../support/files';
import { TeamsClient } from '../support/teamsClient';

const S = strings('nl-NL');
const BODY = 'Stuurgroep Zorg en Veiligheid';
const BASE = `2027-03-02 ${BODY}`;
const CLOSED_DECISION = 'De stuurgroep houdt de voordracht vertrouwelijk aan.';
const MEETING = [
  `vergadering\ntitel: ${BODY}\ndatum: 02-03-2027\ntijd: 14:00-15:30`,
  'agenda\nA Opening\nB Zorgcoördinatie [ter besluitvorming]\nC Voordracht [besloten]\nD Sluiting',
  'start',
  'punt B',
  'besluit: De stuurgroep stemt in met de zorgcoördinatie. [akkoord]',
  'punt C',
  `besluit: ${CLOSED_DECISION} [aangehouden]`,
  'actie G.J. Kok: Voordracht afstemmen',
  'sluiten',
];
const HOOK_LINE = /\[test hook\] paused after writing the temporary file (\S+)\n/;

describe('HTTP: a kill (SIGKILL) while a temporary file of the minutes exists, then a restart', function () {
  this.timeout(90_000);
  let connector: Connector;
  let dir: string;
  const bots: ChildBot[] = [];

  before(async () => {
    connector = await Connector.start(Object.values(TEST_USERS));
    dir = await mkdtemp(join(tmpdir(), 'notulist-temp-crash-'));
  });

  after(async () => {
    await Promise.allSettled(bots.filter((b) => b.alive).map((b) => b.stop(5000)));
    killChildBots();
    await connector?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases = [
    { title: 'the closed part’s temporary file, in the default layout (MINUTES_DIR/besloten)', part: 'besloten', separate: false },
    { title: 'the public part’s temporary file, with MINUTES_CLOSED_DIR elsewhere', part: 'openbaar', separate: true },
  ] as const;

  for (const { title, part, separate } of cases) {
    it(`${title}: nothing is left behind, and the restart finishes the publish`, async () => {
      const home = join(dir, part);
      const dataDir = join(home, 'data');
      const minutesDir = join(dataDir, 'minutes');
      const closedDir = separate ? join(home, 'vertrouwelijk') : join(minutesDir, 'besloten');
      const env: Record<string, string> = separate ? { MINUTES_CLOSED_DIR: closedDir } : {};
      const port = await freePort();
      const start = async (hook: Record<string, string>) => {
        const bot = await ChildBot.start({ port, dataDir, cwd: dir, env: { ...env, ...hook } });
        bots.push(bot);
        return bot;
      };

      const first = await start({ NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE: part });
      const t = new TeamsClient({ botUrl: first.url, connector, users: TEST_USERS, tenantId: 'tenant-1' });
      for (const line of MEETING) assert.equal((await t.say('secretary', line)).status, 200, line);
      const mark = connector.mark();
      assert.equal((await t.say('secretary', 'publiceren')).status, 200);
      const progress = connector.sent(t.conversationId, mark).find((e) => e.op === 'send' && cardOf(e));
      assert.ok(progress, 'a progress card');

      // The moment: the document's temporary file is written and flushed, not yet renamed into place.
      await connector.waitFor(() => HOOK_LINE.test(first.output), 20_000);
      const temp = HOOK_LINE.exec(first.output)![1]!;
      const tree = part === 'besloten' ? closedDir : minutesDir;
      assert.equal(relative(tree, temp).split('/')[0], '.tmp', `the temporary file is in the tree's .tmp folder: ${temp}`);
      const name = basename(temp);
      assert.ok(
        !name.includes('Stuurgroep') && !name.includes(part) && !name.includes('docx'),
        `its name says nothing of the minutes: ${name}`,
      );
      assert.ok(existsSync(temp));
      first.kill();
      await first.stop();
      assert.ok(existsSync(temp), 'the kill left the temporary file');
      assert.ok(!allFiles(tree).some((f) => f.endsWith(`${part}.docx`)), 'the document was not in place yet');

      // The restart removes it and finishes the publish; the same card says so.
      const second = await start({});
      const edits = () => connector.sent(t.conversationId, mark).filter((e) => e.op === 'update' && e.id === progress.id);
      await connector.waitFor(() => edits().length > 0, 20_000);
      assert.match(cardText(cardOf(edits().at(-1))), new RegExp(S.card.published(S.card.whereFolder).replace(/[.()]/g, '\\$&')));
      await second.stop();

      const leftovers = [...allFiles(minutesDir), ...allFiles(closedDir).map((f) => `closed:${f}`)].filter(
        (f) => /(^|\/)\.tmp\//.test(f) || f.endsWith('.tmp'),
      );
      assert.deepEqual(leftovers, [], 'no temporary file anywhere');
      const open = allFiles(minutesDir).filter((f) => !join(minutesDir, f).startsWith(`${closedDir}/`));
      assert.deepEqual(open, [`${BASE}/${BASE} openbaar.docx`, `${BASE}/${RECORDS_FILE}`]);
      assert.deepEqual(allFiles(closedDir), [`${BASE}/${BASE} besloten.docx`, `${BASE}/${CLOSED_RECORDS_FILE}`]);
    });
  }
});
