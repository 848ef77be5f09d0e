// Folding old meetings away: the series document keeps what later meetings need, the records of a
// meeting that is done with move to their own document, and its minutes come out exactly as before.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberRecords } from '../../services/meeting/operations';
import { MeetingService } from '../../services/meeting/service';
import type { Meeting, Series } from '../../services/meeting/types';
import { minutesModel } from '../../services/minutes/model';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { OCTOBER_MEETING_ID, seedSeries } from '../support/seedMeeting';

const T = 'tenant-twente';
const C = '19:dvo-twente@thread.v2';

/** Five meetings like the seed one; the first `done` are closed, adopted and published. */
function longSeries(done: number): Series {
  const series = seedSeries();
  const october = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
  series.meetings = Array.from({ length: 5 }, (_, i): Meeting => {
    const m = structuredClone(october);
    m.id = `m${i + 1}`;
    m.date = `2017-0${i + 1}-10`;
    m.status = 'closed';
    if (i < done)
      m.minutes = {
        status: 'adopted',
        adoptedOn: `2017-0${i + 2}-10`,
        publication: { state: 'published', at: '', status: 'adopted', files: [] },
      };
    return m;
  });
  for (const a of series.actions) a.meetingId = 'm1';
  // As the store reads it back: every record numbered.
  numberRecords(series);
  return series;
}

describe('folding old meetings away', () => {
  let dir: string;
  let store: SqliteDocumentStore;
  let meetings: MeetingService;
  const head = async () => (await store.read([MeetingService.key(T, C)]))[MeetingService.key(T, C)]!;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-fold-'));
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    meetings = new MeetingService(store);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const seed = async (series: Series) => store.write({ [MeetingService.key(T, C)]: { ...(series as unknown as Record<string, unknown>) } });
  const touch = () => meetings.update(T, C, (s) => void (s.meetings.at(-1)!.agendaCardId = `card-${Math.random()}`));

  it('folds the meetings that are done with, except the two newest, in the next write', async () => {
    const original = longSeries(5);
    await seed(original);
    const before = JSON.stringify(await head()).length;
    await touch();
    const stored = (await head()) as unknown as Series;
    assert.deepEqual(
      stored.meetings.map((m) => [m.id, Boolean(m.folded)]),
      [
        ['m1', true],
        ['m2', true],
        ['m3', true],
        ['m4', false],
        ['m5', false],
      ],
    );
    const m1 = stored.meetings[0]!;
    assert.deepEqual([m1.decisions, m1.announcements, m1.questions], [[], [], []]);
    assert.ok(m1.agenda.every((i) => i.proposal === undefined && i.notes.length === 0));
    // What later meetings use stays: codes, titles, closed flags, minutes status, actions.
    assert.deepEqual(
      m1.agenda.map((i) => [i.code, i.title, i.closed]),
      original.meetings[0]!.agenda.map((i) => [i.code, i.title, i.closed]),
    );
    assert.equal(m1.minutes.status, 'adopted');
    // The actions carry over: stored apart with the other records (storedRecords.ts), counted in the series.
    assert.equal((stored as unknown as { recordCounts: { actions: number } }).recordCounts.actions, original.actions.length);
    assert.equal((await meetings.read(T, C)).actions.length, original.actions.length);
    const after = JSON.stringify(stored).length;
    assert.ok(after < before * 0.65, `the series shrinks: ${before} → ${after} characters`);
  });

  it('a folded meeting read by id is whole again, and its minutes are exactly as before', async () => {
    const original = longSeries(5);
    await seed(original);
    await touch();
    const series = await meetings.read(T, C, 'm2');
    const m2 = series.meetings.find((m) => m.id === 'm2')!;
    assert.equal(m2.folded, undefined);
    const expected = original.meetings[1]!;
    assert.deepEqual(m2.decisions, expected.decisions);
    assert.deepEqual(m2.announcements, expected.announcements);
    assert.deepEqual(
      m2.agenda.map((i) => [i.proposal, i.notes]),
      expected.agenda.map((i) => [i.proposal, i.notes]),
    );
    for (const part of ['openbaar', 'besloten'] as const)
      assert.deepEqual(minutesModel(series, 'm2', part), minutesModel(original, 'm2', part), part);
  });

  it('never folds a meeting whose minutes are not adopted and published yet', async () => {
    await seed(longSeries(1));
    const series = longSeries(1);
    series.meetings[1]!.minutes = { status: 'adopted', publication: { state: 'failed', at: '', status: 'adopted', files: [] } };
    series.meetings[2]!.minutes = { status: 'concept', publication: { state: 'published', at: '', status: 'concept', files: [] } };
    await seed(series);
    await touch();
    const stored = (await head()) as unknown as Series;
    assert.deepEqual(
      stored.meetings.map((m) => Boolean(m.folded)),
      [true, false, false, false, false],
    );
  });

  it('a meeting whose agenda was stored apart folds with it back in the series document', async () => {
    const original = longSeries(3);
    await seed(original);
    await touch();
    const chunk = `${MeetingService.key(T, C)}:records:m4/agenda/0`;
    assert.ok((await store.read([chunk]))[chunk], 'm4, not folded, has its agenda stored apart');
    // m4's minutes are adopted and published, and a sixth meeting comes: m4 is no longer among the two newest.
    await meetings.update(T, C, (s) => {
      s.meetings[3]!.minutes = {
        status: 'adopted',
        adoptedOn: '2017-05-10',
        publication: { state: 'published', at: '', status: 'adopted', files: [] },
      };
      s.meetings.push({ ...structuredClone(original.meetings[4]!), id: 'm6', date: '2017-06-10' });
    });
    const stored = (await head()) as unknown as Series;
    assert.deepEqual(
      stored.meetings.map((m) => Boolean(m.folded)),
      [true, true, true, true, false, false],
    );
    assert.equal((await store.read([chunk]))[chunk], undefined, 'its agenda chunk is gone');
    assert.deepEqual(
      stored.meetings[3]!.agenda.map((i) => [i.code, i.title, i.notes.length]),
      original.meetings[3]!.agenda.map((i) => [i.code, i.title, 0]),
      'its agenda is in the series document again',
    );
    const m4 = (await new MeetingService(store).read(T, C, 'm4')).meetings[3]!;
    assert.deepEqual(m4.decisions, original.meetings[3]!.decisions);
    assert.deepEqual(
      m4.agenda.map((i) => [i.code, i.proposal, i.notes]),
      original.meetings[3]!.agenda.map((i) => [i.code, i.proposal, i.notes]),
    );
  });

  it('later changes keep the folded records where they are', async () => {
    await seed(longSeries(5));
    await touch();
    await touch();
    const series = await meetings.read(T, C, 'm1');
    assert.ok(series.meetings[0]!.decisions.length > 0);
  });
});
