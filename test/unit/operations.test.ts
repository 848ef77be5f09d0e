// The domain: who may do what, and bad input that changes nothing.
import assert from 'node:assert/strict';
import { parseAgenda } from '../../services/meeting/agenda';
import { parseDate } from '../../services/meeting/dates';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Person } from '../../services/meeting/types';

const sec: Person = { id: '29:sec', aadObjectId: 'aad-sec', name: 'H. Meuleman' };
const chair: Person = { id: '29:chair', aadObjectId: 'aad-chair', name: 'O. van Veldhuizen' };
const twin: Person = { id: '29:twin', aadObjectId: 'aad-twin', name: 'H. Meuleman' };
const now = '2026-12-01T10:00:00Z';

function planned() {
  const series = ops.newSeries('t', 'c');
  ops.planMeeting(series, sec, { title: 'DVO', date: '2026-12-01', members: [] }, now);
  ops.setAgenda(series, sec, parseAgenda(['A Opening', 'B Mededelingen', 'C Geheim [besloten]', 'D Sluiting']));
  return series;
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('meeting operations', () => {
  it('binds rights to ids: a member with the secretary’s name is refused', () => {
    const series = planned();
    ops.setChair(series, sec, chair);
    ops.start(series, chair, now);
    assert.equal(
      code(() => ops.move(series, twin, { to: 'next' }, now)),
      'onlyChairOrSecretary',
    );
    assert.equal(
      code(() => ops.move(series, chair, { to: 'next' }, now)),
      'ok',
    );
  });

  it('refuses without changing anything', () => {
    const series = planned();
    const before = JSON.stringify(series);
    for (const fn of [
      () => ops.addNote(series, twin, 'x', 'A', now),
      () => ops.addNote(series, sec, '', 'A', now),
      () => ops.addNote(series, sec, 'x', 'Z9', now),
      () => ops.addNote(series, sec, 'x'.repeat(5000), 'A', now),
      () => ops.addContribution(series, twin, 'announcement', '   ', undefined, now),
      () => ops.completeAction(series, sec, '99', now),
      () => ops.move(series, sec, { to: 'next' }, now),
    ])
      assert.notEqual(code(fn), 'ok');
    assert.equal(JSON.stringify(series), before);
  });

  it('keeps records when the agenda is replaced, and refuses to drop an item that has them', () => {
    const series = planned();
    ops.start(series, sec, now);
    ops.addNote(series, sec, 'Welkom', 'A', now);
    ops.setAgenda(series, sec, parseAgenda(['A Opening en welkom', 'B Mededelingen', 'D Sluiting']));
    assert.equal(ops.requireMeeting(series).agenda[0]!.notes.length, 1);
    assert.equal(
      code(() => ops.setAgenda(series, sec, parseAgenda(['B Mededelingen']))),
      'itemHasRecords',
    );
  });

  it('keeps a closed item closed once something is recorded on it, when the agenda is typed again without [besloten]', () => {
    const series = planned();
    ops.start(series, sec, now);
    ops.addNote(series, sec, 'Vertrouwelijk besproken', 'C', now);
    ops.setAgenda(
      series,
      sec,
      parseAgenda(['A Opening', 'B Mededelingen', 'C Geheim, titel verbeterd', 'D Sluiting', 'E Nieuw [besloten]']),
    );
    const agenda = ops.requireMeeting(series).agenda;
    assert.equal(agenda.find((i) => i.code === 'C')!.closed, true, 'recorded in confidence');
    // Without records an item may still change either way.
    ops.setAgenda(series, sec, parseAgenda(['A Opening', 'B Mededelingen', 'C Geheim', 'D Sluiting', 'E Nieuw']));
    assert.equal(ops.requireMeeting(series).agenda.find((i) => i.code === 'E')!.closed, false);
  });

  it('offers the previous minutes on the next agenda and adopts them with [vastgesteld]', () => {
    const series = planned();
    ops.close(series, sec, now);
    ops.planMeeting(series, sec, { title: 'DVO', date: '2026-12-15', members: [] }, now);
    ops.setAgenda(series, sec, parseAgenda(['A Opening', 'B Mededelingen', 'E Rondvraag']));
    const item = ops.requireMeeting(series).agenda.find((i) => i.kind === 'previousMinutes')!;
    assert.equal(item.code, 'BL');
    assert.equal(ops.requireMeeting(series).agenda.indexOf(item), 2);
    ops.start(series, sec, now);
    const r = ops.addDecision(series, sec, 'Vastgesteld', 'adopted', 'BL', now);
    assert.equal(r.adoptedMeetingId, series.meetings[0]!.id);
    assert.equal(series.meetings[0]!.minutes.status, 'adopted');
    assert.equal(series.meetings[0]!.minutes.adoptedOn, '2026-12-15');
  });

  it('lets nobody take over a chat whose meeting is open', () => {
    const series = planned();
    assert.equal(
      code(() => ops.planMeeting(series, twin, { title: 'X', date: '2026-12-02', members: [] }, now)),
      'meetingOpen',
    );
  });

  it('lets the owner mark their own action done, and nobody else', () => {
    const series = planned();
    ops.start(series, sec, now);
    const owner: Person = { id: '29:owner', name: 'Eigenaar' };
    const a = ops.addAction(series, sec, { owner: 'Eigenaar', ownerUser: owner, text: 'Doen' }, now);
    assert.equal(
      code(() => ops.completeAction(series, twin, String(a.number), now)),
      'onlyChairSecretaryOrOwner',
    );
    assert.equal(
      code(() => ops.completeAction(series, owner, String(a.number), now)),
      'ok',
    );
    assert.equal(
      code(() => ops.completeAction(series, owner, String(a.number), now)),
      'actionAlreadyDone',
    );
  });

  it('refuses dates that do not exist', () => {
    assert.equal(parseDate('10-10-2016'), '2016-10-10');
    for (const bad of ['31-02-2026', '00-01-2026', '2026-13-01', 'morgen'])
      assert.equal(
        code(() => parseDate(bad)),
        'invalidDate',
      );
  });
});
