// Attendance by Teams id, over HTTP (issue 12 item 12): users whose display names are the secretary's and
// the bound chair's send `afmelden` (typed) and click "Ik ben aanwezig" (on the agenda card). The
// secretary's and the chair's own attendance stays as it was, the chat is told the look-alike's own name,
// and the published minutes name the look-alikes apart.
import assert from 'node:assert/strict';
import { strings } from '../../services/i18n';
import type { Meeting } from '../../services/meeting/types';
import { BotHarness, docxText, findDocx, settle, startBotHarness } from '../support/botHarness';
import type { TeamsClient, TeamsUser } from '../support/teamsClient';

const S = strings('nl-NL');
const SECRETARY = 'H. Meuleman';
const CHAIR = 'O. van Veldhuizen';
const LOOK_ALIKES: Record<string, TeamsUser> = {
  secTwin: { id: '29:dubbelganger-secretaris', name: SECRETARY, aadObjectId: 'aad-dubbelganger-s1' },
  chairTwin: { id: '29:dubbelganger-voorzitter', name: CHAIR, aadObjectId: 'aad-dubbelganger-v2' },
};

describe('HTTP: one’s own attendance is bound to one’s Teams id, not to a display name', function () {
  this.timeout(30_000);
  let h: BotHarness;
  let t: TeamsClient;

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 50, debounceMs: 10 }, extraUsers: LOOK_ALIKES });
    t = h.client();
  });
  after(() => h?.stop());

  const ok = async (who: string, text: string) => assert.equal((await t.say(who, text)).status, 200, text);
  const meeting = async (): Promise<Meeting> => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings[0]!;

  it('look-alikes of the secretary and of the chair leave their attendance untouched, and the minutes name them apart', async () => {
    await ok('secretary', `vergadering\ntitel: Stuurgroep Dubbel\ndatum: 02-03-2027\ntijd: 14:00-15:30\nvoorzitter: ${CHAIR}`);
    await ok('secretary', 'voorzitter @{chair}');
    await ok('secretary', 'agenda\nA Opening\nB Sluiting');
    await ok('secretary', 'agenda');
    await ok('secretary', `aanwezig: ${SECRETARY}, G.J. Kok`);
    await ok('chair', 'afmelden');
    const before = await meeting();
    assert.deepEqual(before.present, [SECRETARY, 'G.J. Kok']);
    assert.deepEqual(before.absent, [{ name: CHAIR, withNotice: true }]);

    // The secretary's look-alike sends apologies (typed).
    let mark = h.connector.mark();
    await ok('secTwin', 'afmelden');
    let m = await meeting();
    assert.deepEqual(m.present, [SECRETARY, 'G.J. Kok'], 'the secretary is still present');
    const secTwin = m.absent.find((a) => a.name !== CHAIR)!;
    assert.ok(secTwin.name.startsWith(`${SECRETARY} (`) && secTwin.withNotice, JSON.stringify(m.absent));
    // The chat is told who was recorded: the look-alike, under the name the minutes will use.
    const told = t.repliesText(mark);
    assert.ok(told.includes(S.done.apologies(secTwin.name)), told);
    assert.ok(!told.includes(S.done.apologies(SECRETARY)), told);

    // The chair's look-alike clicks "Ik ben aanwezig" on the agenda card.
    mark = h.connector.mark();
    const click = await t.click('chairTwin', new RegExp(`^${S.actions.present}$`), {}, { messageId: m.agendaCardId });
    assert.equal(click.status, 200);
    m = await meeting();
    assert.deepEqual(
      m.absent.find((a) => a.name === CHAIR),
      { name: CHAIR, withNotice: true },
      'the chair stays absent with notice',
    );
    const chairTwin = m.present.find((p) => p.startsWith(`${CHAIR} (`));
    assert.ok(chairTwin, JSON.stringify(m.present));
    assert.ok(!m.present.includes(CHAIR));
    const banner = JSON.stringify((click.body as { value?: unknown }).value);
    assert.ok(banner.includes(S.done.selfPresent(chairTwin)), 'the click’s banner names the look-alike as recorded');

    // The published minutes: the secretary present, the chair with apologies, each look-alike apart.
    await ok('secretary', 'start');
    await ok('secretary', 'sluiten');
    await ok('secretary', 'publiceren');
    await h.connector.waitFor(async () => (await meeting()).minutes.publication?.state === 'published', 15_000);
    await settle(h, 200);
    const [doc] = (await findDocx(h.minutesDir)).filter((f) => f.endsWith('openbaar.docx'));
    assert.ok(doc, 'the public minutes are published');
    const lines = (await docxText(doc)).split('\n');
    // A fact is a line: its label, a tab, its value.
    const row = (label: string) => lines.find((l) => l.startsWith(`${label}\t`))?.slice(label.length + 1) ?? '';
    const present = row('Aanwezig');
    const absent = row('Afwezig');
    assert.ok(present.includes(SECRETARY) && present.includes(chairTwin), present);
    assert.ok(!present.split(/, | en /).includes(CHAIR), `the chair is not among those present: ${present}`);
    assert.ok(absent.includes(`${CHAIR} (afgemeld)`), absent);
    assert.ok(absent.includes(`${secTwin.name} (afgemeld)`), absent);
    assert.ok(!absent.includes(`${SECRETARY} (afgemeld)`), `the secretary did not send apologies: ${absent}`);
  });
});
