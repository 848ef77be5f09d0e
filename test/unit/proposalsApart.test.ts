// Proposals live beside the series, in a document of their own: a turn that leaves them alone neither
// parses nor rewrites them, and everything that reads an item's proposal still finds it there.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ops from '../../services/meeting/operations';
import { MeetingService } from '../../services/meeting/service';
import type { Proposal, Series } from '../../services/meeting/types';
import type { ReadOptions } from '../../services/store/documentStore';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { SECRETARY } from '../support/seedMeeting';

const T = 'tenant-1';
const C = '19:voorstellen@thread.v2';

const proposal = (subject: string): Proposal => ({ subject, advice: [`Advies bij ${subject}`], attachments: [] }) as unknown as Proposal;

describe('proposals stored beside the series', () => {
  let dir: string;
  let store: SqliteDocumentStore;
  let meetings: MeetingService;
  const doc = async (key: string) => (await store.read([key]))[key];
  const seriesDoc = () => doc(MeetingService.key(T, C));
  const proposalsDoc = () => doc(MeetingService.proposalsKey(T, C));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-proposals-'));
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    meetings = new MeetingService(store);
    await meetings.update(T, C, (s, now) => {
      ops.planMeeting(s, SECRETARY, { title: 'DVO', date: '2030-12-12', members: [] }, now);
      ops.setAgenda(s, SECRETARY, [
        { code: 'A', title: 'Opening', kind: 'opening', closed: false, attachments: [] },
        { code: 'D1', title: 'Cameratoezicht', kind: 'discussion', closed: false, attachments: [] },
        { code: 'D2', title: 'Jaarverslag', kind: 'discussion', closed: false, attachments: [] },
      ]);
      ops.attachProposal(s, SECRETARY, 'D1', proposal('Camera’s'));
      ops.attachProposal(s, SECRETARY, 'D2', proposal('Verslag'));
    });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const item = (s: Series, code: string) => s.meetings.at(-1)!.agenda.find((i) => i.code === code)!;

  it('the series document holds none of them; the proposals document holds each, by meeting and item', async () => {
    assert.ok(!JSON.stringify(await seriesDoc()).includes('Advies bij'), 'no proposal text in the series document');
    const series = await meetings.read(T, C);
    const m = series.meetings.at(-1)!;
    const stored = (await proposalsDoc())!.proposals as Record<string, Record<string, Proposal>>;
    assert.deepEqual(Object.keys(stored), [m.id]);
    assert.equal(stored[m.id]![item(series, 'D1').id]!.subject, 'Camera’s');
    assert.equal(item(series, 'D2').proposal?.subject, 'Verslag', 'read back through the item');
    assert.equal(item(series, 'A').proposal, undefined);
  });

  it('a change that leaves the proposals alone does not write their document', async () => {
    const before = (await proposalsDoc())!.eTag;
    await meetings.update(T, C, (s, now) => ops.addContribution(s, SECRETARY, 'announcement', 'Een mededeling', undefined, now));
    assert.equal((await proposalsDoc())!.eTag, before, 'the proposals document was not rewritten');
    assert.equal(item(await meetings.read(T, C), 'D1').proposal?.subject, 'Camera’s');
  });

  it('a new proposal replaces the old; an item taken off the agenda takes its proposal with it', async () => {
    await meetings.update(T, C, (s) => void ops.attachProposal(s, SECRETARY, 'D1', proposal('Nieuw')));
    assert.equal(item(await meetings.read(T, C), 'D1').proposal?.subject, 'Nieuw');
    const d2 = item(await meetings.read(T, C), 'D2').id;
    await meetings.update(T, C, (s) => {
      ops.setAgenda(s, SECRETARY, [
        { code: 'A', title: 'Opening', kind: 'opening', closed: false, attachments: [] },
        { code: 'D1', title: 'Cameratoezicht', kind: 'discussion', closed: false, attachments: [] },
      ]);
    });
    const series = await meetings.read(T, C);
    assert.equal(item(series, 'D1').proposal?.subject, 'Nieuw', 'an item kept keeps its proposal');
    const stored = (await proposalsDoc())!.proposals as Record<string, Record<string, Proposal>>;
    assert.equal(stored[series.meetings.at(-1)!.id]![d2], undefined, 'the removed item’s proposal is gone');
  });

  it('older data with the proposals inline moves them out with the next write, and reads them meanwhile', async () => {
    const key = MeetingService.key(T, C);
    const series = await meetings.read(T, C);
    const inline = JSON.parse(JSON.stringify(series)) as Series;
    inline.meetings.at(-1)!.agenda.find((i) => i.code === 'D2')!.proposal = proposal('Inline');
    await store.delete([MeetingService.proposalsKey(T, C)]);
    await store.write({ [key]: { ...(inline as unknown as Record<string, unknown>) } });
    assert.equal(item(await meetings.read(T, C), 'D2').proposal?.subject, 'Inline', 'read from the older layout');
    await meetings.update(T, C, (s, now) => ops.addContribution(s, SECRETARY, 'announcement', 'Daarna', undefined, now));
    assert.ok(!JSON.stringify(await seriesDoc()).includes('Inline'), 'moved out of the series document');
    assert.equal(item(await meetings.read(T, C), 'D2').proposal?.subject, 'Inline', 'and kept beside it');
  });

  it('another instance’s new proposal is seen here at once, though this one held the older version parsed', async () => {
    const other = new MeetingService(store);
    assert.equal(item(await meetings.read(T, C), 'D1').proposal?.subject, 'Camera’s', 'held here now');
    await other.update(T, C, (s) => void ops.attachProposal(s, SECRETARY, 'D1', proposal('Van elders')));
    assert.equal(item(await meetings.read(T, C), 'D1').proposal?.subject, 'Van elders');
    await meetings.update(T, C, (s, now) => ops.addContribution(s, SECRETARY, 'announcement', 'Hier', undefined, now));
    assert.equal(item(await other.read(T, C), 'D1').proposal?.subject, 'Van elders', 'and a write here keeps it');
  });

  it('an instance that opens no proposal holds their version all the same: later turns do not have their text sent again', async () => {
    const pkey = MeetingService.proposalsKey(T, C);
    const heldAsked: (string | undefined)[] = [];
    const watched = Object.assign(Object.create(store) as SqliteDocumentStore, {
      read: (keys: string[], options?: ReadOptions) => (heldAsked.push(options?.held?.[pkey]), store.read(keys, options)),
      update: (keys: string[], change: Parameters<SqliteDocumentStore['update']>[1], options?: ReadOptions) => (
        heldAsked.push(options?.held?.[pkey]),
        store.update(keys, change, options)
      ),
    });
    const fresh = new MeetingService(watched);
    await fresh.read(T, C);
    await fresh.update(T, C, (s, now) => ops.addContribution(s, SECRETARY, 'announcement', 'Zonder voorstel te openen', undefined, now));
    await fresh.read(T, C);
    const eTag = (await proposalsDoc())!.eTag;
    assert.deepEqual(heldAsked, [undefined, eTag, eTag], 'asked for by the eTag it was sent with, though never parsed');
    assert.equal(item(await fresh.read(T, C), 'D1').proposal?.subject, 'Camera’s', 'and read from it when opened');
  });

  it('a change that changes nothing writes nothing, the series included (told from the text SQLite kept)', async () => {
    const before = (await seriesDoc())!.eTag;
    const { changed } = await meetings.update(T, C, (s) => s.meetings.length);
    assert.equal(changed, false);
    assert.equal((await seriesDoc())!.eTag, before, 'not rewritten');
  });
});
