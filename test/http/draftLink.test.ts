// The full draft behind the draft card's "Volledige tekst" link: served by the bot itself under a signed,
// expiring token, as an HTML page and as the draft .docx per part. Forged or expired links open nothing.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BotHarness, docxText, settle, startBotHarness } from '../support/botHarness';
import { validateCard } from '../support/cardValidation';
import { HOSTILE_ANNOUNCEMENT } from '../support/seedMeeting';
import { findActions, type BotAnswer, type TeamsClient } from '../support/teamsClient';

function ok(answer: BotAnswer, what: string): void {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Notes (each within the 4000-character limit) that together are too long for one card. */
const LONG_NOTES = Array.from({ length: 8 }, (_, n) =>
  Array.from({ length: 50 }, (_, i) => `Zin ${n * 50 + i + 1} van het verslag over de veiligheidsregio.`).join(' '),
);

describe('HTTP: the full draft behind a signed link', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;
  let link: string;
  const say = async (who: string, text: string) => ok(await t.say(who, text), text.split('\n')[0]!);

  /** Asks for the draft and returns the card and its full-text link. */
  async function draftCard(who = 'member'): Promise<{ card: Record<string, unknown>; url: string | undefined }> {
    const mark = h.connector.mark();
    await say(who, 'besluitenlijst');
    // The reply is a new message; edits of live cards (agenda, publish result) may land meanwhile.
    const sent = h.connector.sent(t.conversationId, mark).filter((e) => e.op === 'send');
    const card = sent.flatMap((e) => e.activity?.attachments ?? []).find((a) => a.content)?.content as Record<string, unknown>;
    assert.ok(card, 'the bot answers with a card');
    const action = findActions(card).find((a) => a.type === 'Action.OpenUrl' && /Volledige tekst/.test(String(a.title)));
    return { card, url: action?.url as string | undefined };
  }

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 100, debounceMs: 20 } });
    t = h.client();
    await say('secretary', 'vergadering\ntitel: DVO Twente\ndatum: 10-10-2016\ntijd: 10:30-12:00\nlocatie: Hengelo');
    await say('secretary', 'agenda\nA Opening\nD1 Platform IVZ [ter besluitvorming]\nG1 Personele zaak [besloten]\nF Sluiting');
    await say('secretary', 'start');
    await say('member', `mededeling: ${HOSTILE_ANNOUNCEMENT}`);
    await say('secretary', 'punt D1');
    for (const note of LONG_NOTES) await say('secretary', `verslag: ${note}`);
    await say('secretary', 'besluit: Het DVO stemt in met [klik](javascript:alert(1)) en <img src=x onerror=alert(1)>. [akkoord]');
    await say('secretary', 'punt G1');
    await say('secretary', 'besluit: Vertrouwelijk besluit over de personele zaak. [aangehouden]');
    await settle(h);
    const draft = await draftCard();
    assert.ok(draft.url, 'the draft card links to the full text');
    link = draft.url;
  });
  after(async () => {
    await h?.stop();
  });

  it('a long draft card stays within Teams limits, summarises, and says the full text is behind the link', async () => {
    const { card, url } = await draftCard();
    assert.ok(Buffer.byteLength(JSON.stringify(card)) <= 28 * 1024);
    assert.deepEqual(validateCard(card, { allowedLiterals: [HOSTILE_ANNOUNCEMENT] }), []);
    assert.ok(url!.startsWith(`${h.app.url}/minutes/draft/`), url);
    const text = JSON.stringify(card);
    assert.ok(!text.includes('Zin 400 van het verslag'), 'the card is shortened');
    assert.match(text, /Volledige tekst/);
    // Asked again the same day: the same link, so a redrawn card is an identical edit.
    assert.equal((await draftCard('chair')).url, url);
  });

  it('the page holds the whole draft, both parts, with member text verbatim and inert', async () => {
    const res = await fetch(link);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await res.text();
    // Made today, it works for 7 whole days; the page names the last one.
    const lastDay = new Date(Math.ceil((Date.now() + 7 * 86400000) / 86400000) * 86400000 - 1);
    assert.ok(html.includes(`Deze link werkt tot en met ${lastDay.getUTCDate()} `), 'the last day the link works');
    for (const fact of [
      'Zin 1 van het verslag',
      'Zin 400 van het verslag',
      'Platform IVZ',
      'Openbaar deel',
      'Besloten deel',
      'Vertrouwelijk besluit',
    ])
      assert.ok(html.includes(fact), `page holds "${fact}"`);
    // The announcement's markup shows as text; nothing in it became an element, a link or a script.
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'script tag escaped');
    assert.ok(html.includes('**vet**') || html.includes('\\*\\*vet'), 'emphasis markers shown, not applied');
    assert.ok(!/<script/i.test(html), 'no script element');
    assert.ok(!/<img/i.test(html), 'no image element');
    assert.ok(!/href="javascript:/i.test(html), 'no javascript: link');
    assert.ok(!/<strong>vet<\/strong>/.test(html));
  });

  it('the page offers each part as a draft .docx; the public one has no closed item', async () => {
    const html = await (await fetch(link)).text();
    const hrefs = [...html.matchAll(/href="([^"]+\.docx)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), link).href);
    assert.equal(hrefs.length, 2);
    const texts: Record<string, string> = {};
    for (const href of hrefs) {
      const res = await fetch(href);
      assert.equal(res.status, 200, href);
      assert.match(res.headers.get('content-type') ?? '', /wordprocessingml/);
      assert.match(
        res.headers.get('content-disposition') ?? '',
        /attachment; filename="2016-10-10 DVO Twente (openbaar|besloten) concept\.docx"/,
      );
      const file = join(h.dataDir, `draft-${texts.openbaar === undefined ? 'o' : 'b'}.docx`);
      await writeFile(file, Buffer.from(await res.arrayBuffer()));
      texts[/besloten/.test(href) ? 'besloten' : 'openbaar'] = await docxText(file);
    }
    assert.match(texts.openbaar!, /Platform IVZ/);
    assert.match(texts.openbaar!, /Zin 400 van het verslag/);
    assert.match(texts.openbaar!, /Status: concept/);
    assert.ok(!texts.openbaar!.includes('Personele zaak'), 'public draft has no closed item');
    assert.match(texts.besloten!, /Vertrouwelijk besluit/);
  });

  it('the page shows what was recorded since the link was made', async () => {
    await say('secretary', 'punt D1');
    await say('secretary', 'verslag: Aanvulling na het maken van de link.');
    const html = await (await fetch(link)).text();
    assert.ok(html.includes('Aanvulling na het maken van de link.'));
  });

  it('a forged, altered or unknown link opens nothing and says so', async () => {
    const token = link.split('/minutes/draft/')[1]!;
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    // Another chat's meeting with the same signature; a far expiry; a signature of another payload.
    const other = Buffer.from(JSON.stringify({ ...claims, c: '19:other@thread.v2' })).toString('base64url');
    const later = Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 365 * 86400000 })).toString('base64url');
    for (const bad of [
      `${other}.${signature}`,
      `${later}.${signature}`,
      `${payload}.${signature.slice(0, -2)}AA`,
      'nonsense',
      `${payload}`,
      `${token}.x`,
    ]) {
      const res = await fetch(`${h.app.url}/minutes/draft/${encodeURIComponent(bad)}`);
      assert.equal(res.status, 404, bad);
      const html = await res.text();
      assert.match(html, /ongeldig/);
      assert.ok(!html.includes('Platform IVZ'));
    }
    // A valid link, but a part that does not exist or a path outside the two documents.
    for (const file of ['notulen.docx', '..%2F..%2Fnotulist.sqlite', 'openbaar.pdf']) {
      const res = await fetch(`${link}/${file}`);
      assert.equal(res.status, 404, file);
    }
    // The browser's language picks the language of the refusal.
    const en = await fetch(`${h.app.url}/minutes/draft/nonsense`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.match(await en.text(), /not valid/);
  });

  it('publishing ends the draft links made before it; the card after it carries a new one', async () => {
    await say('secretary', 'sluiten');
    const mark = h.connector.mark();
    await say('secretary', 'publiceren');
    await h.connector.waitFor(async () => {
      const series = await h.app.meetings.read(t.tenantId, t.conversationId);
      return series.meetings[0]?.minutes.publication?.state === 'published';
    }, 15000);
    // The result card links each document so a browser opens it (a local folder's file:// would not).
    const progress = h.connector.sent(t.conversationId, mark).find((e) => e.op === 'send');
    await h.connector.waitFor(() => h.connector.sent(t.conversationId, mark).some((e) => e.op === 'update' && e.id === progress?.id), 5000);
    const result = h.connector
      .sent(t.conversationId, mark)
      .filter((e) => e.op === 'update' && e.id === progress?.id)
      .at(-1)?.activity?.attachments?.[0]?.content;
    // The file names are TextRuns whose selectAction opens the document. As posted (everyone) only the
    // public document; the secretary's own view (refresh) has the closed one too.
    const posted = [...JSON.stringify(result).matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(posted.length, 1, JSON.stringify(result));
    assert.match(posted[0]!, /openbaar\.docx$/);
    const own = await t.view('secretary', progress!.id);
    const fileLinks = [...JSON.stringify(own?.card).matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(fileLinks.length, 2, JSON.stringify(own));
    for (const url of fileLinks) {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/minutes\/draft\/[\w-]+\.[\w-]+\/(openbaar|besloten)\.docx$/);
      const res = await fetch(url);
      assert.equal(res.status, 200, url);
      assert.match(res.headers.get('content-disposition') ?? '', /\.docx"/);
    }
    const old = await fetch(link);
    assert.equal(old.status, 410);
    assert.match(await old.text(), /verlopen/);
    const { url } = await draftCard();
    assert.ok(url && url !== link);
    const fresh = await fetch(url);
    assert.equal(fresh.status, 200);
    assert.match(await fresh.text(), /Platform IVZ/);
  });

  it('a meeting without a closed item offers no closed document', async () => {
    const t2 = h.client();
    ok(await t2.say('secretary', 'vergadering\ntitel: Stuurgroep Zorg\ndatum: 01-11-2016'), 'plan');
    ok(await t2.say('secretary', 'agenda\nA Opening\nB Sluiting'), 'agenda');
    const mark = h.connector.mark();
    ok(await t2.say('secretary', 'besluitenlijst'), 'draft');
    const card = h.connector
      .sent(t2.conversationId, mark)
      .filter((e) => e.op === 'send')
      .flatMap((e) => e.activity?.attachments ?? [])
      .find((a) => a.content)?.content;
    const url = findActions(card).find((a) => a.type === 'Action.OpenUrl')?.url as string;
    assert.ok(url);
    const html = await (await fetch(url)).text();
    assert.equal([...html.matchAll(/\.docx"/g)].length, 1);
    assert.equal((await fetch(`${url}/besloten.docx`)).status, 404);
    assert.equal((await fetch(`${url}/openbaar.docx`)).status, 200);
    // The link is bound to its own chat: it does not open the other chat's meeting.
    assert.ok(!html.includes('Platform IVZ'));
  });
});
