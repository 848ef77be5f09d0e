// A typed command is answered once its replies are sent; the live-card edits it caused follow on the chat's
// own schedule, whoever else is in the bot. Whoever needs the edits waits for them at the connector.
import assert from 'node:assert/strict';
import { BotHarness, startBotHarness } from '../support/botHarness';
import type { TeamsClient } from '../support/teamsClient';

describe('HTTP: a typed command is answered before its card edits', function () {
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
    h.connector.delayMs = 0;
    await h?.stop();
  });

  const agendaCardId = async (t: TeamsClient) => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!.agendaCardId!;
  const editsOf = (t: TeamsClient, id: string, since: number) =>
    h.connector.sent(t.conversationId, since).filter((e) => e.op === 'update' && e.id === id).length;
  const repliesOf = (t: TeamsClient, since: number) => h.connector.sent(t.conversationId, since).filter((e) => e.op === 'send');

  for (const [name, others] of [
    ['alone in the bot', false],
    ['with another chat typing at the same time', true],
  ] as const)
    it(`${name}: the answer comes with its reply, and the agenda card's edit follows`, async () => {
      const [a, b] = chats as [TeamsClient, TeamsClient];
      const idA = await agendaCardId(a);
      await h.app.liveCards.idle();
      const mark = h.connector.log.length;
      // A slow connector (every send and edit answered after 300 ms) keeps the edit in flight long enough to see.
      h.connector.delayMs = 300;
      const said = [a.say('member', `mededeling: ${name}`)];
      if (others) said.push(b.say('kok', `mededeling: ${name}, elders`));
      const [first] = await Promise.all(said);
      const editsWhenAnswered = editsOf(a, idA, mark);
      h.connector.delayMs = 0;
      assert.equal(first!.status, 200);
      assert.equal(repliesOf(a, mark).length, 1, 'the reply was sent before the answer');
      assert.match(repliesOf(a, mark)[0]!.activity!.text as string, /^Mededeling \d+ van J\. Slot vastgelegd/);
      assert.equal(editsWhenAnswered, 0, 'the answer did not wait for the edit');
      await h.connector.waitFor(() => editsOf(a, idA, mark) === 1);
    });
});
