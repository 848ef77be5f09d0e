// People named as the member list (`leden:`) names them: a Teams user's display name is matched to the
// list, or the secretary says which name is theirs (`lid @naam: …`); the minutes never mix the two.
import assert from 'node:assert/strict';
import { parseText } from '../../bot/commands';
import { parseAgenda } from '../../services/meeting/agenda';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Person, Series } from '../../services/meeting/types';

const sec: Person = { id: '29:sec', name: 'Sanne de Secretaris' };
const marc: Person = { id: '29:marc', name: 'Marc Stegers' };
const ria: Person = { id: '29:ria', name: 'Ria' };
const twin: Person = { id: '29:twin', name: 'Sietske de Secretaris' };
const now = '2027-03-02T13:00:00.000Z';
const MEMBERS = ['S. de Secretaris', 'M. Stegers', 'A. Raven', 'R. Welten', 'J. Stegeman'];

function planned(): Series {
  const series = ops.newSeries('t', 'c');
  ops.planMeeting(series, sec, { title: 'DVO', date: '2027-03-02', members: MEMBERS, secretaryName: 'S. de Secretaris' }, now);
  ops.setAgenda(series, sec, parseAgenda(['A Opening', 'B Mededelingen', 'F Sluiting']));
  return series;
}

describe('member names from the member list', () => {
  it('matches a display name to the list by name, or by first initial and surname; else keeps it', () => {
    const series = planned();
    const m = series.meetings[0]!;
    assert.equal(ops.listName(series, m, marc), 'M. Stegers');
    assert.equal(ops.listName(series, m, { id: '29:a', name: 'a. raven' }), 'A. Raven');
    assert.equal(ops.listName(series, m, sec), 'S. de Secretaris', 'the secretary is named as the list names her');
    assert.equal(ops.listName(series, m, ria), 'Ria', 'no surname: nothing to match');
    assert.equal(ops.listName(series, m, { id: '29:x', name: 'Anna Welten' }), 'Anna Welten', 'another initial: no match');
  });

  it('never gives a look-alike the name of the secretary’s (or another’s) account', () => {
    const series = planned();
    const m = series.meetings[0]!;
    assert.equal(ops.listName(series, m, twin), 'Sietske de Secretaris');
    ops.setMemberName(series, sec, { id: '29:raven', name: 'Annemarie' }, 'A. Raven');
    assert.equal(ops.listName(series, m, { id: '29:other', name: 'Anton Raven' }), 'Anton Raven', 'A. Raven is taken');
  });

  it('the secretary’s word wins: `lid @naam: …`, for later meetings too; only the secretary says it', () => {
    const series = planned();
    assert.equal(ops.setMemberName(series, sec, ria, '  R.   Welten '), 'R. Welten');
    const m = series.meetings[0]!;
    assert.equal(ops.listName(series, m, ria), 'R. Welten');
    assert.throws(
      () => ops.setMemberName(series, marc, ria, 'Iemand anders'),
      (e: unknown) => e instanceof DomainError,
    );
    assert.equal(ops.listName(series, m, ria), 'R. Welten');
  });

  it('announcements, apologies and mentioned action owners take the list’s names', () => {
    const series = planned();
    ops.setChair(series, sec, sec);
    ops.start(series, sec, now);
    ops.addContribution(series, marc, 'announcement', 'Nieuws.', undefined, now);
    ops.sendApologies(series, { id: '29:j', name: 'Jan Stegeman' });
    const action = ops.addAction(series, sec, { owner: 'Marc Stegers', ownerUser: marc, text: 'Uitzoeken.' }, now);
    const typed = ops.addAction(series, sec, { owner: 'Marc', ownerUser: marc, text: 'Zoals getypt.' }, now);
    const m = series.meetings[0]!;
    assert.equal(m.announcements[0]!.author, 'M. Stegers');
    assert.deepEqual(m.absent, [{ name: 'J. Stegeman', withNotice: true }]);
    assert.equal(action.owner, 'M. Stegers');
    assert.equal(typed.owner, 'Marc', 'a name typed otherwise than the mention stays as typed');
  });

  it('reads `lid @naam: M. Stegers` and `member @name: …`; without a mention or a name, says how', () => {
    const mention = [{ text: '<at>Marc Stegers</at>', person: marc }];
    assert.deepEqual(parseText('lid <at>Marc Stegers</at>: M. Stegers', mention), { kind: 'memberName', person: marc, name: 'M. Stegers' });
    assert.deepEqual(parseText('member <at>Marc Stegers</at>: M. Stegers', mention), {
      kind: 'memberName',
      person: marc,
      name: 'M. Stegers',
    });
    assert.deepEqual(parseText('lid M. Stegers', []), { kind: 'invalid', reason: 'memberNeedsMention' });
    assert.deepEqual(parseText('lid <at>Marc Stegers</at>', mention), { kind: 'invalid', reason: 'memberNeedsMention' });
  });
});
