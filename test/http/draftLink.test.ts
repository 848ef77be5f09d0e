// Draft minutes behind links the bot serves itself, as an HTML page and as the draft .docx per part. The
// draft card's "Volledige tekst" link is a public link: the public part only, to be shared. The closed
// part is behind a full link made for the chair or the secretary (MinutesService.fullDraftUrl, which the
// bot offers in their own view): the page names that person, adds besloten.docx and the corrections, and
// the link lives at most 24 hours. Both end when the minutes are published; forged, altered, expired or
// misused links open nothing (404/410, never a 500).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MinutesService } from '../../services/minutes/minutesService';
import { DraftLinks } from '../../services/minutes/draftLinks';
import { PendingPublishes } from '../../services/minutes/pendingPublishes';
import type { MinutesPublisher } from '../../services/minutes/publisher';
import { BotHarness, docxText, settle, startBotHarness } from '../support/botHarness';
import { validateCard } from '../support/cardValidation';
import { HOSTILE_ANNOUNCEMENT } from '../support/seedMeeting';
import { findActions, type BotAnswer, type TeamsClient, type TeamsUser } from '../support/teamsClient';

function ok(answer: BotAnswer, what: string): void {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Notes (each within the 4000-character limit) that together are too long for one card. */
const LONG_NOTES = Array.from({ length: 8 }, (_, n) =>
  Array.from({ length: 50 }, (_, i) => `Zin ${n * 50 + i + 1} van het verslag over de veiligheidsregio.`).join(' '),
);

const CLOSED_FACTS = ['Personele zaak', 'Vertrouwelijk besluit', 'Besloten deel', 'VERTROUWELIJK'];
const NO_PUBLISHER: MinutesPublisher = {
  kind: 'none',
  publish: () => Promise.reject(new Error('not in this test')),
};

describe('HTTP: draft minutes behind public and full links', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;
  /** The member's draft card's link: public. */
  let link: string;
  /** The secretary's full link. */
  let full: string;
  /** The API the bot calls, on the bot's own store (the keys are there). */
  let minutes: MinutesService;
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

  const meeting = async () => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings[0]!;
  const fullLinkFor = async (user: TeamsUser, links = minutes) =>
    links.fullDraftUrl(t.tenantId, t.conversationId, await meeting(), { id: user.id, name: user.name });
  /** GETs a URL that must open nothing: a short page, 404 or 410 as given, never a 500. */
  async function refused(url: string, status: 404 | 410, what: string): Promise<string> {
    const res = await fetch(url);
    assert.equal(res.status, status, `${what}: ${url}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    for (const fact of ['Platform IVZ', ...CLOSED_FACTS]) assert.ok(!html.includes(fact), `${what} shows "${fact}"`);
    return html;
  }
  async function docxOf(url: string, name: string): Promise<string> {
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-type') ?? '', /wordprocessingml/);
    const file = join(h.dataDir, name);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    return docxText(file);
  }
  const docxLinks = (html: string, base: string) =>
    [...html.matchAll(/href="([^"]+\.docx)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), base).href);

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 100, debounceMs: 20 } });
    t = h.client();
    minutes = new MinutesService(
      h.app.meetings,
      NO_PUBLISHER,
      new PendingPublishes(h.app.store),
      await DraftLinks.open(h.app.store, () => h.app.url),
    );
    await say('secretary', 'vergadering\ntitel: DVO Twente\ndatum: 10-10-2016\ntijd: 10:30-12:00\nlocatie: Hengelo');
    await say('secretary', 'agenda\nA Opening\nD1 Platform IVZ [ter besluitvorming]\nG1 Personele zaak [besloten]\nF Sluiting');
    await say('secretary', 'voorzitter @{chair}');
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
    full = (await fullLinkFor(h.users.secretary!))!;
    assert.ok(full, 'the secretary gets a full link');
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
    // Nothing in the link names the tenant, the chat or the meeting.
    const token = url!.split('/minutes/draft/')[1]!;
    for (const id of [t.tenantId, t.conversationId, (await meeting()).id]) {
      assert.ok(!token.includes(id) && !Buffer.from(token, 'base64url').toString('latin1').includes(id), `${id} readable in the link`);
    }
  });

  it('the public page holds the public part only, with member text verbatim and inert', async () => {
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
    for (const fact of ['Zin 1 van het verslag', 'Zin 400 van het verslag', 'Platform IVZ', 'Openbaar deel', 'het openbare deel'])
      assert.ok(html.includes(fact), `page holds "${fact}"`);
    // The link's random token (in the page's download links) may hold "G1" by chance: it is not page text.
    const text = html.split(new URL(link).pathname.split('/').pop()!).join('');
    for (const fact of [...CLOSED_FACTS, 'G1', 'Wijzigingen in het verslag'])
      assert.ok(!text.includes(fact), `the public page shows "${fact}"`);
    // The announcement's markup shows as text; nothing in it became an element, a link or a script.
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'script tag escaped');
    assert.ok(html.includes('**vet**') || html.includes('\\*\\*vet'), 'emphasis markers shown, not applied');
    assert.ok(!/<script/i.test(html), 'no script element');
    assert.ok(!/<img/i.test(html), 'no image element');
    assert.ok(!/href="javascript:/i.test(html), 'no javascript: link');
    assert.ok(!/<strong>vet<\/strong>/.test(html));
    // One document: the public one. The closed one is not there for a public link, by any path.
    const hrefs = docxLinks(html, link);
    assert.deepEqual(
      hrefs.map((u) => u.split('/').pop()),
      ['openbaar.docx'],
    );
    const open = await docxOf(hrefs[0]!, 'public-o.docx');
    assert.match(open, /Platform IVZ/);
    for (const fact of CLOSED_FACTS) assert.ok(!open.includes(fact), `public draft .docx shows "${fact}"`);
    await refused(`${link}/besloten.docx`, 404, 'a public link asking for besloten.docx');
  });

  it('the full page names the secretary, holds both parts and the corrections, and offers besloten.docx', async () => {
    // A correction, as `wijzig besluit` records it (the domain keeps the log; only this page shows it).
    await h.app.meetings.update(t.tenantId, t.conversationId, (series) => {
      series.meetings[0]!.changes = [
        {
          at: '2016-10-10T10:55:00.000Z',
          by: { id: h.users.secretary!.id, name: h.users.secretary!.name },
          kind: 'decision',
          label: '2',
          change: 'edited',
          before: 'Vertrouwelijk besluit over de <b>personele</b> zaak.',
          after: 'Vertrouwelijk besluit over de personele zaak. [aangehouden]',
        },
        {
          at: '2016-10-10T11:05:00.000Z',
          by: { id: '29:slot', name: 'J. Slot' },
          kind: 'announcement',
          label: '1',
          change: 'removed',
          before: 'Oude mededeling',
        },
      ];
    });
    const res = await fetch(full);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.ok(html.includes('VERTROUWELIJK – voor H. Meuleman'), 'the page names its viewer');
    for (const fact of ['Platform IVZ', 'Openbaar deel', 'Besloten deel', 'Vertrouwelijk besluit', 'VERTROUWELIJK – besloten deel'])
      assert.ok(html.includes(fact), `the full page holds "${fact}"`);
    assert.match(html, /Deze link werkt tot \d+ \w+ \d{4} om \d\d:\d\d en vervalt zodra de besluitenlijst is gepubliceerd/);
    // The corrections, escaped, after both parts.
    const changes = html.indexOf('Wijzigingen in het verslag');
    assert.ok(changes > html.indexOf('Besloten deel'), 'the corrections come last');
    const log = html.slice(changes);
    for (const fact of ['Besluit 2 gewijzigd', 'Mededeling 1 verwijderd', 'Oude mededeling', 'J. Slot', '10 oktober 2016 om 12:55'])
      assert.ok(log.includes(fact), `the corrections show "${fact}"`);
    assert.ok(log.includes('&lt;b&gt;personele&lt;/b&gt;') && !log.includes('<b>'), 'corrected text is escaped');
    // Neither the public page nor the documents show them.
    assert.ok(!(await (await fetch(link)).text()).includes('Oude mededeling'));

    const hrefs = docxLinks(html, full);
    assert.deepEqual(hrefs.map((u) => u.split('/').pop()).sort(), ['besloten.docx', 'openbaar.docx']);
    const closed = await docxOf(
      hrefs.find((u) => u.endsWith('besloten.docx'))!,
      'full-b.docx',
    );
    assert.match(closed, /VERTROUWELIJK – besloten deel/);
    assert.match(closed, /Vertrouwelijk besluit/);
    assert.ok(!closed.includes('Oude mededeling') && !closed.includes('Wijzigingen'), 'no correction in a document');
    const res2 = await fetch(hrefs.find((u) => u.endsWith('besloten.docx'))!);
    assert.match(res2.headers.get('content-disposition') ?? '', /attachment; filename="2016-10-10 DVO Twente besloten concept\.docx"/);

    // The chair gets a link of their own; a member none, and a full link made for a member opens nothing.
    const chair = (await fullLinkFor(h.users.chair!))!;
    assert.ok(chair && chair !== full);
    assert.ok((await (await fetch(chair)).text()).includes(`VERTROUWELIJK – voor ${h.users.chair!.name}`));
    assert.equal(await fullLinkFor(h.users.member!), undefined, 'no full link for a member');
    const links = await DraftLinks.open(h.app.store, () => h.app.url);
    const m = await meeting();
    const forMember = links.fullUrl(
      { tenantId: t.tenantId, conversationId: t.conversationId, meetingId: m.id, version: m.minutes.draftLinkVersion ?? 0 },
      { id: h.users.member!.id, name: h.users.member!.name },
    );
    await refused(forMember, 404, 'a full link for a member');
    await refused(`${forMember}/besloten.docx`, 404, 'a full link for a member, besloten.docx');
  });

  it('a full link lives at most 24 hours', async () => {
    const m = await meeting();
    const ref = { tenantId: t.tenantId, conversationId: t.conversationId, meetingId: m.id, version: m.minutes.draftLinkVersion ?? 0 };
    const viewer = { id: h.users.secretary!.id, name: h.users.secretary!.name };
    const made = (hoursAgo: number) =>
      DraftLinks.open(
        h.app.store,
        () => h.app.url,
        () => Date.now() - hoursAgo * 3600_000,
      );
    // Made 23 hours ago (within the hour it was made in): still open. Made 24 hours ago: over.
    assert.equal((await fetch((await made(22.5)).fullUrl(ref, viewer))).status, 200);
    const old = (await made(24)).fullUrl(ref, viewer);
    const html = await refused(old, 410, 'a full link made 24 hours ago');
    assert.match(html, /verlopen/);
    await refused(`${old}/besloten.docx`, 410, 'its besloten.docx');
    // A public link made 8 days ago is over too.
    await refused((await made(8 * 24)).publicUrl(ref), 410, 'a public link made 8 days ago');
  });

  it('the pages show what was recorded since the link was made', async () => {
    await say('secretary', 'punt D1');
    await say('secretary', 'verslag: Aanvulling na het maken van de link.');
    for (const url of [link, full]) assert.ok((await (await fetch(url)).text()).includes('Aanvulling na het maken van de link.'));
  });

  it('a forged, altered, cut or unknown link opens nothing and says so', async () => {
    for (const good of [link, full]) {
      const token = good.split('/minutes/draft/')[1]!;
      const bytes = Buffer.from(token, 'base64url');
      const flipped = (i: number) => {
        const b = Buffer.from(bytes);
        b[i] ^= 0x20;
        return b.toString('base64url');
      };
      for (const bad of [
        flipped(0),
        flipped(13),
        flipped(bytes.length - 1),
        token.slice(0, -4),
        token.slice(0, 20),
        `${token}AAAA`,
        'nonsense',
        `${token}.x`,
        // The version before the scopes had "payload.signature": one made up opens nothing either.
        `${Buffer.from('{"t":"tenant-1"}').toString('base64url')}.abc`,
      ]) {
        const html = await refused(`${h.app.url}/minutes/draft/${encodeURIComponent(bad)}`, 404, bad.slice(0, 30));
        assert.match(html, /ongeldig/);
        await refused(`${h.app.url}/minutes/draft/${encodeURIComponent(bad)}/besloten.docx`, 404, `${bad.slice(0, 30)} besloten.docx`);
      }
      // A valid link, but a part that does not exist or a path outside the two documents.
      for (const file of ['notulen.docx', '..%2F..%2Fnotulist.sqlite', 'openbaar.pdf', 'besloten.docx%00']) {
        const res = await fetch(`${good}/${file}`);
        assert.equal(res.status, 404, file);
      }
    }
    // The browser's language picks the language of the refusal.
    const en = await fetch(`${h.app.url}/minutes/draft/nonsense`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.match(await en.text(), /not valid/);
  });

  it('publishing ends the draft links made before it; the result card links the public document only', async () => {
    await say('secretary', 'sluiten');
    const mark = h.connector.mark();
    await say('secretary', 'publiceren');
    await h.connector.waitFor(async () => (await meeting()).minutes.publication?.state === 'published', 15000);
    // The result card links the document so a browser opens it (a local folder's file:// would not).
    const progress = h.connector.sent(t.conversationId, mark).find((e) => e.op === 'send');
    await h.connector.waitFor(() => h.connector.sent(t.conversationId, mark).some((e) => e.op === 'update' && e.id === progress?.id), 5000);
    const result = h.connector
      .sent(t.conversationId, mark)
      .filter((e) => e.op === 'update' && e.id === progress?.id)
      .at(-1)?.activity?.attachments?.[0]?.content;
    // The file names are TextRuns whose selectAction opens the document; the chat's card never opens the closed one.
    const fileLinks = [...JSON.stringify(result).matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(fileLinks.length, 1, JSON.stringify(result));
    assert.match(fileLinks[0]!, /^http:\/\/127\.0\.0\.1:\d+\/minutes\/draft\/[\w-]+\/openbaar\.docx$/);
    assert.equal((await fetch(fileLinks[0]!)).status, 200);
    assert.ok(!JSON.stringify(result).includes('besloten.docx'), 'the card names no closed document');

    // The API: without a viewer, the public document only; the secretary's own view may have both.
    const published = await meeting();
    assert.deepEqual(
      minutes.publishedLinks(t.tenantId, t.conversationId, published).map((l) => l.name),
      ['2016-10-10 DVO Twente openbaar.docx'],
    );
    assert.deepEqual(
      minutes
        .publishedLinks(t.tenantId, t.conversationId, published, { id: h.users.member!.id, name: h.users.member!.name })
        .map((l) => l.name),
      ['2016-10-10 DVO Twente openbaar.docx'],
      'a member as viewer: the public document only',
    );
    const own = minutes.publishedLinks(t.tenantId, t.conversationId, published, {
      id: h.users.secretary!.id,
      name: h.users.secretary!.name,
    });
    assert.deepEqual(
      own.map((l) => l.name),
      ['2016-10-10 DVO Twente openbaar.docx', '2016-10-10 DVO Twente besloten.docx'],
    );
    assert.match(own[1]!.url, /\/besloten\.docx$/);
    assert.match(await docxOf(own[1]!.url, 'published-b.docx'), /VERTROUWELIJK – besloten deel/);
    assert.equal(minutes.closedLocation(published)?.kind, 'folder');
    assert.equal(minutes.closedLocation(published)?.description, join(h.minutesDir, 'besloten', '2016-10-10 DVO Twente'));

    // The links made before publishing are over.
    for (const [old, what] of [
      [link, 'the public link'],
      [full, 'the full link'],
      [`${full}/besloten.docx`, 'the full link’s besloten.docx'],
    ] as const) {
      const html = await refused(old, 410, `${what} after publishing`);
      assert.match(html, /verlopen/);
    }
    const { url } = await draftCard();
    assert.ok(url && url !== link);
    const fresh = await fetch(url);
    assert.equal(fresh.status, 200);
    assert.match(await fresh.text(), /Platform IVZ/);
  });

  it('a meeting without a closed item offers no closed document, on either link', async () => {
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
    const m2 = (await h.app.meetings.read(t2.tenantId, t2.conversationId)).meetings[0]!;
    const fullUrl = minutes.fullDraftUrl(t2.tenantId, t2.conversationId, m2, { id: h.users.secretary!.id, name: h.users.secretary!.name })!;
    for (const u of [url, fullUrl]) {
      const html = await (await fetch(u)).text();
      assert.equal([...html.matchAll(/\.docx"/g)].length, 1);
      assert.equal((await fetch(`${u}/besloten.docx`)).status, 404);
      assert.equal((await fetch(`${u}/openbaar.docx`)).status, 200);
      // The link is bound to its own chat: it does not open the other chat's meeting.
      assert.ok(!html.includes('Platform IVZ'));
    }
  });
});
