// The meeting's clock in the minutes: the header's Tijdstip is when the meeting really began and ended
// (the planned time where nothing actual is known), and the time per item only when the secretary asks.
import assert from 'node:assert/strict';
import { minutesModel } from '../../services/minutes/model';
import { OCTOBER_MEETING_ID, seedSeries } from '../support/seedMeeting';

const tijdstip = (model: ReturnType<typeof minutesModel>) => model.header.find((h) => h.label === 'Tijdstip')?.value;

describe('minutes: the meeting’s clock', () => {
  it('prints the planned time until the meeting has actual times', () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    delete meeting.startedAt;
    delete meeting.endedAt;
    meeting.startTime = '10:30';
    meeting.endTime = '12:00';
    assert.equal(tijdstip(minutesModel(series, meeting.id, 'openbaar')), '10.30 – 12.00 uur');
  });

  it('prints the actual start and end, in the meeting’s time zone', () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    meeting.startedAt = '2016-10-10T08:37:00.000Z'; // 10.37 in Amsterdam (summer time)
    meeting.endedAt = '2016-10-10T10:12:00.000Z';
    assert.equal(tijdstip(minutesModel(series, meeting.id, 'openbaar')), '10.37 – 12.12 uur');
    delete meeting.endedAt;
    assert.equal(tijdstip(minutesModel(series, meeting.id, 'openbaar')), '10.37 uur', 'begun, not yet ended');
    // Recorded afterwards, on another day: the bot's clock is not the meeting's; the planned time stays.
    meeting.startedAt = '2026-12-01T09:00:00.000Z';
    meeting.startTime = '10:30';
    meeting.endTime = '12:00';
    assert.equal(tijdstip(minutesModel(series, meeting.id, 'openbaar')), '10.30 – 12.00 uur');
  });

  it('shows how long each item took only when the secretary switched it on', () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    const item = meeting.agenda.find((i) => i.code === 'D1')!;
    item.spans = [
      { from: '2016-10-10T09:00:00.000Z', to: '2016-10-10T09:10:00.000Z' },
      { from: '2016-10-10T09:20:00.000Z', to: '2016-10-10T09:25:00.000Z' },
    ];
    const row = (on: boolean) => {
      meeting.itemTimesInMinutes = on;
      return minutesModel(series, meeting.id, 'openbaar').items.find((r) => r.code === 'D1')!;
    };
    assert.equal(
      row(false).blocks.some((b) => b.role === 'time'),
      false,
    );
    const time = row(true).blocks.find((b) => b.role === 'time');
    assert.equal(time?.runs.map((r) => r.text).join(''), '11.00 – 11.25 uur (15 min)');
  });
});
