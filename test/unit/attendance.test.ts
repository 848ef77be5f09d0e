// One's own attendance is bound to one's Teams id (issue 12 item 12): someone whose display name is the
// secretary's or a bound chair's sends `afmelden` or "Ik ben aanwezig", and the secretary's (or chair's)
// attendance is untouched, while the minutes name the look-alike apart.
import assert from 'node:assert/strict';
import { parseAgenda } from '../../services/meeting/agenda';
import * as ops from '../../services/meeting/operations';
import type { Meeting, Person, Series } from '../../services/meeting/types';
import { minutesModel } from '../../services/minutes/model';

const sec: Person = { id: '29:sec', aadObjectId: 'aad-secretaris-0001', name: 'H. Meuleman' };
const chair: Person = { id: '29:chair', aadObjectId: 'aad-voorzitter-0002', name: 'O. van Veldhuizen' };
const secTwin: Person = { id: '29:twin', aadObjectId: 'aad-dubbelganger-0003', name: 'H. Meuleman' };
const chairTwin: Person = { id: '29:twin2', aadObjectId: 'aad-dubbelganger-0004', name: 'O. van Veldhuizen' };
const member: Person = { id: '29:lid', aadObjectId: 'aad-lid-0005', name: 'J. Slot' };
const now = '2027-03-02T13:00:00.000Z';

function planned(secretaryName?: string): Series {
  const series = ops.newSeries('t', 'c');
  ops.planMeeting(series, sec, { title: 'Stuurgroep', date: '2027-03-02', members: [], secretaryName, chairName: chair.name }, now);
  ops.setAgenda(series, sec, parseAgenda(['A Opening', 'B Sluiting']));
  ops.setChair(series, sec, chair);
  return series;
}

const meetingOf = (series: Series): Meeting => series.meetings[0]!;
const header = (series: Series, label: string) =>
  minutesModel(series, meetingOf(series).id, 'openbaar').header.find((r) => r.label === label)?.value ?? '';
/** Names split off a joined header value ("A, B en C"). */
const names = (value: string) => value.split(/, | en /).filter(Boolean);

describe('attendance by Teams id', () => {
  it('a look-alike of the secretary sending apologies leaves the secretary present, and is named apart', () => {
    const series = planned();
    ops.recordAttendance(series, sec, 'present', [sec.name, chair.name]);
    ops.sendApologies(series, secTwin);
    const m = meetingOf(series);
    assert.deepEqual(m.present, [sec.name, chair.name], 'the secretary is still present');
    assert.equal(m.absent.length, 1);
    const twin = m.absent[0]!;
    assert.notEqual(twin.name.toLowerCase(), sec.name.toLowerCase());
    assert.ok(twin.name.startsWith(`${sec.name} (`), twin.name);
    assert.equal(twin.withNotice, true);
    // The minutes: the secretary among those present, the look-alike apart among the absent.
    assert.deepEqual(names(header(series, 'Aanwezig')), [sec.name, chair.name]);
    assert.deepEqual(names(header(series, 'Afwezig')), [`${twin.name} (afgemeld)`]);
    assert.ok(!header(series, 'Afwezig').includes(`${sec.name} (afgemeld)`));
  });

  it('a look-alike saying "Ik ben aanwezig" does not undo the secretary’s own apologies', () => {
    const series = planned();
    ops.sendApologies(series, sec);
    ops.markSelfPresent(series, secTwin);
    const m = meetingOf(series);
    assert.deepEqual(m.absent, [{ name: sec.name, withNotice: true }], 'the secretary stays absent with notice');
    assert.equal(m.present.length, 1);
    assert.notEqual(m.present[0], sec.name);
    assert.ok(m.present[0]!.startsWith(`${sec.name} (`));
  });

  it('a look-alike of a bound chair is told apart too, in both directions', () => {
    const series = planned();
    ops.markSelfPresent(series, chair);
    ops.sendApologies(series, chairTwin);
    let m = meetingOf(series);
    assert.deepEqual(m.present, [chair.name]);
    assert.ok(m.absent[0]!.name.startsWith(`${chair.name} (`));
    ops.sendApologies(series, chair);
    ops.markSelfPresent(series, chairTwin);
    m = meetingOf(series);
    assert.ok(
      m.absent.some((a) => a.name === chair.name && a.withNotice),
      'the chair’s own apologies count',
    );
    assert.ok(!m.present.includes(chair.name));
  });

  it('the name typed as secretary when planning is protected as well as the Teams name', () => {
    const series = planned('Henk Meuleman');
    ops.recordAttendance(series, sec, 'present', ['Henk Meuleman']);
    ops.sendApologies(series, { id: '29:henk', aadObjectId: 'aad-henk-0006', name: 'Henk Meuleman' });
    const m = meetingOf(series);
    assert.deepEqual(m.present, ['Henk Meuleman']);
    assert.ok(m.absent[0]!.name.startsWith('Henk Meuleman ('));
  });

  it('case, spacing and invisible characters do not make a look-alike someone else', () => {
    for (const name of ['h. meuleman', ' H.  Meuleman ', 'H.\u200b Meuleman', 'H. Meuleman\u2060', 'Ｈ. Meuleman']) {
      const series = planned();
      ops.recordAttendance(series, sec, 'present', [sec.name]);
      ops.sendApologies(series, { id: '29:x', aadObjectId: 'aad-x-0007', name });
      const m = meetingOf(series);
      assert.deepEqual(m.present, [sec.name], JSON.stringify(name));
      assert.match(m.absent[0]!.name, / \(\S+\)$/, `${JSON.stringify(name)} is named apart: ${JSON.stringify(m.absent[0]!.name)}`);
    }
  });

  it('two look-alikes are two people in the minutes; the real ones and other members keep their plain names', () => {
    const series = planned();
    ops.sendApologies(series, secTwin);
    ops.sendApologies(series, { id: '29:twin3', aadObjectId: 'aad-dubbelganger-0008', name: sec.name });
    ops.markSelfPresent(series, sec);
    ops.markSelfPresent(series, member);
    const m = meetingOf(series);
    assert.equal(new Set(m.absent.map((a) => a.name)).size, 2, 'two distinct names');
    assert.deepEqual(m.present, [sec.name, member.name]);
  });
});
