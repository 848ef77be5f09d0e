// The secretary gives the chat its house style with the meeting's facts (`orgaan:`, `kopregel:`): every
// page of the published minutes carries it, also for the next meeting in the chat.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { BotHarness, findDocx, startBotHarness } from '../support/botHarness';
import type { TeamsClient } from '../support/teamsClient';

describe('HTTP: the chat’s house style on its minutes', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;

  before(async () => {
    h = await startBotHarness();
    t = h.client();
  });
  after(async () => {
    await h?.stop();
  });

  const pageHeader = async (file: string) => {
    const zip = await JSZip.loadAsync(await readFile(file));
    const name = Object.keys(zip.files).find((f) => /^word\/header\d*\.xml$/.test(f));
    return name ? (await zip.file(name)!.async('string')).replace(/<[^>]+>/g, '') : '';
  };

  const publish = async (date: string) => {
    for (const text of ['start', 'sluiten', 'publiceren']) assert.equal((await t.say('secretary', text)).status, 200, text);
    const series = async () => h.app.meetings.read(t.tenantId, t.conversationId);
    await h.connector.waitFor(
      async () => (await series()).meetings.find((m) => m.date === date)?.minutes.publication?.state === 'published',
      20000,
    );
    return (await findDocx(h.minutesDir)).find((f) => f.includes(date))!;
  };

  it('set with `wijzig vergadering`, on every page; kept for the next meeting; refused to a member', async () => {
    for (const text of ['vergadering\ntitel: DVO\ndatum: 10-10-2016', 'agenda\nA Opening\nF Sluiting'])
      assert.equal((await t.say('secretary', text)).status, 200);
    const refused = h.connector.log.length;
    await t.say('member', 'wijzig vergadering\nkopregel: Niet van mij');
    assert.ok(!JSON.stringify(h.connector.sent(t.conversationId, refused)).includes('is gewijzigd'));
    assert.equal(
      (await t.say('secretary', 'wijzig vergadering\norgaan: DVO Twente\nkopregel: Samen sterk voor een veilig Twente')).status,
      200,
    );
    const first = await pageHeader(await publish('2016-10-10'));
    assert.ok(first.includes('DVO Twente') && first.includes('Samen sterk voor een veilig Twente'), first);
    assert.ok(!first.includes('Niet van mij'));

    for (const text of ['vergadering\ntitel: DVO\ndatum: 12-12-2016', 'agenda\nA Opening\nF Sluiting'])
      assert.equal((await t.say('secretary', text)).status, 200);
    const next = await pageHeader(await publish('2016-12-12'));
    assert.ok(next.includes('Samen sterk voor een veilig Twente'), 'the chat keeps its house style');
  });
});
