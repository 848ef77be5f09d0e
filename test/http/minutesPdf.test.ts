// MINUTES_PDF through the whole bot (configuration → publisher → local folder): with it on, publishing
// puts a PDF/A copy beside each .docx, the besloten one in the closed folder only; with it off, no PDF.
// The publish card still links the documents only. The case with LibreOffice skips when soffice is not on PATH.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { onPath, SOFFICE } from '../../services/minutes/pdf';
import { BotHarness, startBotHarness } from '../support/botHarness';
import type { TeamsClient } from '../support/teamsClient';

const BASE = '2027-03-02 Stuurgroep Zorg en Veiligheid';
const MEETING = [
  'vergadering\ntitel: Stuurgroep Zorg en Veiligheid\ndatum: 02-03-2027\ntijd: 14:00-15:30',
  'agenda\nA Opening\nB Zorgcoördinatie [ter besluitvorming]\nG1 Personele zaak [besloten]\nC Sluiting',
  'start',
  'punt B',
  'besluit: De stuurgroep stemt in met de zorgcoördinatie. [akkoord]',
  'punt G1',
  'besluit: Vertrouwelijk besluit over de personele zaak. [aangehouden]',
  'sluiten',
];

/** Every file under `dir`, relative to it. */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  return out.sort();
}

/** Holds a meeting, publishes it, and waits for the result card; returns that card's file links. */
async function holdAndPublish(h: BotHarness, t: TeamsClient): Promise<string[]> {
  for (const line of MEETING) assert.equal((await t.say('secretary', line)).status, 200, line.split('\n')[0]);
  const mark = h.connector.mark();
  assert.equal((await t.say('secretary', 'publiceren')).status, 200);
  const meeting = async () => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings[0]!;
  await h.connector.waitFor(async () => (await meeting()).minutes.publication?.state === 'published', 60_000);
  const progress = h.connector.sent(t.conversationId, mark).find((e) => e.op === 'send');
  const result = () =>
    h.connector
      .sent(t.conversationId, mark)
      .filter((e) => e.op === 'update' && e.id === progress?.id)
      .at(-1);
  await h.connector.waitFor(() => result() !== undefined, 5000);
  return [...JSON.stringify(result()?.activity?.attachments?.[0]?.content).matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
}

describe('HTTP: MINUTES_PDF, a PDF/A copy beside each published document', function () {
  this.timeout(150_000);
  let h: BotHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('MINUTES_PDF=1: … openbaar.pdf beside … openbaar.docx, … besloten.pdf in the closed folder only', async function () {
    if (!onPath(SOFFICE)) {
      if (this.test) this.test.title += ' (skipped: soffice, LibreOffice, is not on PATH; CI runs this check)';
      this.skip();
    }
    const bot = (h = await startBotHarness({ env: { MINUTES_PDF: '1' } }));
    const links = await holdAndPublish(bot, bot.client());
    assert.deepEqual(await allFiles(bot.minutesDir), [
      `${BASE}/${BASE} openbaar.docx`,
      `${BASE}/${BASE} openbaar.pdf`,
      `${BASE}/besluiten-en-acties.json`,
      `besloten/${BASE}/${BASE} besloten.docx`,
      `besloten/${BASE}/${BASE} besloten.pdf`,
      `besloten/${BASE}/besloten-besluiten-en-acties.json`,
    ]);
    for (const pdf of [`${BASE}/${BASE} openbaar.pdf`, `besloten/${BASE}/${BASE} besloten.pdf`]) {
      const bytes = await readFile(join(bot.minutesDir, pdf));
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', pdf);
      assert.ok(bytes.includes('pdfaid:part'), `${pdf} is PDF/A`);
    }
    assert.equal(links.length, 1, 'the chat’s card links the public document only, as without copies');
    assert.match(links[0]!, /\/openbaar\.docx$/);
  });

  it('MINUTES_PDF off (the default): no PDF', async () => {
    const bot = (h = await startBotHarness());
    await holdAndPublish(bot, bot.client());
    const files = await allFiles(bot.minutesDir);
    assert.ok(
      files.includes(`${BASE}/${BASE} openbaar.docx`) && files.includes(`besloten/${BASE}/${BASE} besloten.docx`),
      files.join('\n'),
    );
    assert.deepEqual(
      files.filter((f) => f.endsWith('.pdf')),
      [],
    );
  });
});
