// When a typed command is answered: alone in the bot, once the live-card edits it caused have reached the
// connector (one person typing, or a script, sees each command's whole effect before the next); with
// other turns coming in, at once, the edits following on the chat's own schedule.
import assert from 'node:assert/strict';
import { BotHarness, startBotHarness } from '../support/botHarness';
import type { TeamsClient } from '../support/teamsClient';

describe('HTTP: a typed command is answered before its card edits when other turns come in', function () {
  this.timeout(30000);
  let h: BotHarness;
  const chats: TeamsClient[] = [];

  before(async () => {
    h = await startBotHarness();
    for (let i = 0; i < 2; i++) {
      const setup = h.client({ conversationId: `19:answers-${i}@thread.v2` });
      for (const text of ['vergadering\ntitel: DVO\ndatum: 12-12-2030', 'agenda\nA Opening\nB Mededelingen\nF Sluiting'])
        assert.equal((await setup.say('secretary', text)).status, 200);
      // The measured turns do not wait for the edits (the harness's client does, by default).
      chats.push(h.client({ conversationId: setup.conversationId, settle: undefined }));
    }
  });
  after(async () => {
    await h?.stop();
  });

  const agendaCardId = async (t: TeamsClient) => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!.agendaCardId!;
  const editsOf = (t: TeamsClient, id: string, since: number) =>
    h.connector.sent(t.conversationId, since).filter((e) => e.op === 'update' && e.id === id).length;

  it('alone: the answer comes once the agenda card shows the announcement', async () => {
    const t = chats[0]!;
    const id = await agendaCardId(t);
    const mark = h.connector.log.length;
    assert.equal((await t.say('member', 'mededeling: Alleen')).status, 200);
    assert.equal(editsOf(t, id, mark), 1, 'the agenda card was edited before the answer');
  });

  it('with another turn coming in: the waiting answer goes at once, and its edit follows', async () => {
    const [a, b] = chats as [TeamsClient, TeamsClient];
    const idA = await agendaCardId(a);
    await h.app.liveCards.idle();
    const mark = h.connector.log.length;
    let editsWhenAnswered = -1;
    // A slow connector (every send and edit answered after 300 ms) keeps the first turn's edit in flight.
    h.connector.delayMs = 300;
    const first = a.say('member', 'mededeling: Eerste').then((r) => ((editsWhenAnswered = editsOf(a, idA, mark)), r));
    // The second arrives while the first waits for its edit.
    await h.connector.waitFor(() => h.connector.sent(a.conversationId, mark).some((e) => e.op === 'send'));
    assert.equal((await b.say('kok', 'mededeling: Tweede')).status, 200);
    assert.equal((await first).status, 200);
    h.connector.delayMs = 0;
    assert.equal(editsWhenAnswered, 0, 'the first answer did not wait for its edit once another turn came in');
    await h.connector.waitFor(() => editsOf(a, idA, mark) === 1);
  });
});
