// A meeting's caps (issue 12 item 3): at most MAX_RECORDS_PER_MEETING records and MAX_TEXT_PER_MEETING
// characters of text, the correction log (before and after of every correction) included.
import assert from 'node:assert/strict';
import { parseAgenda } from '../../services/meeting/agenda';
import { correctRecord } from '../../services/meeting/corrections';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import { MAX_RECORDS_PER_MEETING, MAX_TEXT, MAX_TEXT_PER_MEETING } from '../../services/meeting/operations';
import type { Meeting, Person, Series } from '../../services/meeting/types';

const sec: Person = { id: '29:sec', aadObjectId: 'aad-sec', name: 'H. Meuleman' };
const member: Person = { id: '29:lid', aadObjectId: 'aad-lid', name: 'J. Slot' };
const filler: Person = { id: '29:vuller', aadObjectId: 'aad-vuller', name: 'Vuller' };
const now = '2027-03-02T13:00:00.000Z';

function running(): Series {
  const series = ops.newSeries('t', 'c');
  ops.planMeeting(series, sec, { title: 'Stuurgroep', date: '2027-03-02', members: [] }, now);
  ops.setAgenda(series, sec, parseAgenda(['A Opening', 'B Besluiten', 'C Sluiting']));
  ops.start(series, sec, now);
  return series;
}

const meetingOf = (series: Series): Meeting => series.meetings[0]!;

/** Every character the meeting holds: its records and its correction log. */
function textHeld(series: Series): number {
  const m = meetingOf(series);
  const records = [...m.announcements, ...m.questions, ...m.decisions, ...m.agenda.flatMap((i) => i.notes)];
  return (
    records.reduce((n, r) => n + r.text.length, 0) +
    series.actions.filter((a) => a.meetingId === m.id).reduce((n, a) => n + a.text.length, 0) +
    (m.changes ?? []).reduce((n, c) => n + c.before.length + (c.after?.length ?? 0), 0)
  );
}

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('a meeting’s caps', () => {
  it(`at ${MAX_RECORDS_PER_MEETING} records, of any kinds, every kind of new record is refused and nothing changes`, () => {
    const series = running();
    for (let i = 0; i < MAX_RECORDS_PER_MEETING; i++) {
      const text = `Record ${i}`;
      if (i % 5 === 0) ops.addContribution(series, filler, 'announcement', text, undefined, now);
      else if (i % 5 === 1) ops.addContribution(series, filler, 'question', text, undefined, now);
      else if (i % 5 === 2) ops.addNote(series, sec, text, 'A', now);
      else if (i % 5 === 3) ops.addDecision(series, sec, text, undefined, 'B', now);
      else ops.addAction(series, sec, { owner: 'G.J. Kok', text }, now);
    }
    const before = JSON.stringify(series);
    for (const add of [
      () => ops.addContribution(series, member, 'announcement', 'Te veel', undefined, now),
      () => ops.addContribution(series, member, 'question', 'Te veel?', undefined, now),
      () => ops.addNote(series, sec, 'Te veel', 'A', now),
      () => ops.addDecision(series, sec, 'Te veel', undefined, 'B', now),
      () => ops.addAction(series, sec, { owner: 'G.J. Kok', text: 'Te veel' }, now),
    ])
      assert.equal(refusal(add), 'meetingFull');
    assert.equal(JSON.stringify(series), before);
  });

  it('corrections cannot grow a meeting past its text cap, the correction log included; a removal always can be made', () => {
    const series = running();
    const own = ops.addContribution(series, member, 'announcement', 'a'.repeat(MAX_TEXT), undefined, now);
    // Filled to 20,000 characters below the cap.
    let left = MAX_TEXT_PER_MEETING - 20_000 - textHeld(series);
    while (left > 0) {
      const n = Math.min(MAX_TEXT, left);
      ops.addContribution(series, filler, 'announcement', 'x'.repeat(n), undefined, now);
      left -= n;
    }
    // The member rewrites their own announcement again and again, each time as long as before: each
    // correction adds about 8,000 characters of before and after to the log, so the third would pass the cap.
    const swap = (n: number) => {
      const fresh = JSON.parse(JSON.stringify(series)) as Series;
      const text = String.fromCharCode(97 + n).repeat(MAX_TEXT);
      const code = refusal(() =>
        correctRecord(fresh, member, { kind: 'announcement', label: String(own.number), edit: { kind: 'announcement', text } }, now),
      );
      // As MeetingService.update does: a refused change is thrown away, an accepted one kept.
      if (code === 'ok') Object.assign(series, fresh);
      return code;
    };
    assert.deepEqual([1, 2, 3, 4].map(swap), ['ok', 'ok', 'meetingFull', 'meetingFull']);
    assert.ok(textHeld(series) <= MAX_TEXT_PER_MEETING, `${textHeld(series)} characters held`);
    assert.equal(meetingOf(series).changes?.length, 2);
    // A removal makes room in the records (its log entry is the text removed): never refused.
    assert.equal(
      refusal(() => correctRecord(series, member, { kind: 'announcement', label: String(own.number) }, now)),
      'ok',
    );
  });
});
