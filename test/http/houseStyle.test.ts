// The secretary gives the chat its house style with the meeting's facts (`orgaan:`, `kopregel:`, `logo:`
// one of the deployment's MINUTES_LOGOS): every
// page of the published minutes carries it, also for the next meeting in the chat.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { BotHarness, findDocx, startBotHarness } from '../support/botHarness';
import type { TeamsClient } from '../support/teamsClient';

describe('HTTP: the chat’s house style on its minutes', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;

  // The deployment's logos a chat may choose: two 1 × 1 PNGs of different colours.
  const logos = mkdtempSync(join(tmpdir(), 'notulist-logos-'));
  const RED = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
  const GREY = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

  before(async () => {
    writeFileSync(join(logos, 'Platform.png'), Buffer.from(RED, 'base64'));
    writeFileSync(join(logos, 'veiligheidshuis.png'), Buffer.from(GREY, 'base64'));
    h = await startBotHarness({ env: { MINUTES_LOGOS: logos } });
    t = h.client();
  });
  after(async () => {
    await h?.stop();
    rmSync(logos, { recursive: true, force: true });
  });

  const media = async (file: string) => {
    const zip = await JSZip.loadAsync(await readFile(file));
    const name = Object.keys(zip.files).find((f) => f.startsWith('word/media/') && !f.endsWith('/'));
    return name ? (await zip.file(name)!.async('nodebuffer')).toString('base64') : undefined;
  };

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
    const unknown = h.connector.log.length;
    await t.say('secretary', 'wijzig vergadering\nlogo: onbekend');
    const refusal = JSON.stringify(h.connector.sent(t.conversationId, unknown));
    assert.ok(refusal.includes('Kies uit: platform, veiligheidshuis'), refusal.slice(0, 300));
    const set = 'wijzig vergadering\norgaan: DVO Twente\nkopregel: Samen sterk voor een veilig Twente\nlogo: Platform';
    assert.equal((await t.say('secretary', set)).status, 200);
    const firstDoc = await publish('2016-10-10');
    assert.equal(await media(firstDoc), RED, 'the chosen logo is on every page');
    const first = await pageHeader(firstDoc);
    assert.ok(first.includes('DVO Twente') && first.includes('Samen sterk voor een veilig Twente'), first);
    assert.ok(!first.includes('Niet van mij'));

    for (const text of ['vergadering\ntitel: DVO\ndatum: 12-12-2016', 'agenda\nA Opening\nF Sluiting'])
      assert.equal((await t.say('secretary', text)).status, 200);
    const next = await pageHeader(await publish('2016-12-12'));
    assert.ok(next.includes('Samen sterk voor een veilig Twente'), 'the chat keeps its house style');
    assert.equal(await media((await findDocx(h.minutesDir)).find((f) => f.includes('2016-12-12'))!), RED, 'and its logo');
  });
});
