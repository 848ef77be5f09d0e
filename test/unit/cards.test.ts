// Every card the bot can send, rendered from realistic and from extreme data, validated against the
// Adaptive Cards 1.5 schema, the adaptivecards parser and Teams' 28 KB budget.
import assert from 'node:assert/strict';
import {
  actionsCard,
  agendaCard,
  helpCard,
  itemCard,
  meetingCard,
  messageCard,
  minutesCard,
  publishCard,
  welcomeCard,
} from '../../cards/cards';
import type { AdaptiveCard } from '../../cards/render';
import { findActions } from '../support/cardActions';
import { strings } from '../../services/i18n';
import { minutesModel } from '../../services/minutes/model';
import type { AgendaItem, Series } from '../../services/meeting/types';
import { validateCard } from '../support/cardValidation';
import { HOSTILE_ANNOUNCEMENT, OCTOBER_MEETING_ID, SECRETARY, seedSeries } from '../support/seedMeeting';

const allowedLiterals = ['${foo}', '${x}'];

function assertValid(card: AdaptiveCard, what: string): void {
  const errors = validateCard(card, { allowedLiterals });
  assert.deepEqual(errors, [], `${what}: ${errors.join('; ')}`);
}

function bigSeries(): Series {
  const series = seedSeries();
  const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
  const long = 'Lange adviestekst met ${x} en **opmaak** | pijp | '.repeat(100);
  meeting.agenda = Array.from({ length: 60 }, (_, i): AgendaItem => ({
    id: `it${i}`,
    code: `D${i + 1}`,
    title: `Agendapunt ${i + 1}: ${'een vrij lange titel die de kaart vult '.repeat(6)}`,
    kind: 'decision',
    closed: i % 7 === 0,
    attachments: [{ title: `Bijlage ${i}`, url: `https://example.org/b/${i}` }],
    notes: [{ text: long, by: SECRETARY, at: '2016-10-10T10:00:00Z' }],
    proposal: {
      subject: `Voorstel ${i}`,
      advice: Array.from({ length: 8 }, (_, k) => `${k + 1}e adviespunt: ${long.slice(0, 400)}`),
      adviceIntro: long.slice(0, 300),
      attachments: ['Bijlage A', 'Bijlage B'],
      handledBy: 'T. Hijkoop',
      portfolioHolder: 'S. Schelberg',
      text: long,
      missing: [],
    },
  }));
  meeting.currentItemId = 'it42';
  meeting.status = 'running';
  return series;
}

describe('cards', () => {
  for (const locale of ['nl-NL', 'en-US']) {
    const s = strings(locale);
    describe(`in ${locale}`, () => {
      const series = seedSeries();
      const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;

      it('help, welcome and message cards are valid', () => {
        assertValid(helpCard(s, undefined, { role: 'member', canPlan: true }), 'help without meeting');
        assertValid(helpCard(s, meeting, { role: 'secretary', canPlan: true }), 'help for the secretary');
        assertValid(
          helpCard(s, meeting, { role: 'member', canPlan: false, banner: { text: 'x', style: 'attention' } }),
          'help for a member',
        );
        assertValid(welcomeCard(s), 'welcome');
        assertValid(messageCard(HOSTILE_ANNOUNCEMENT, 'attention', 'Titel'), 'message');
      });

      it('meeting, agenda and item cards are valid for chair and member views', () => {
        assertValid(meetingCard(s, series, meeting, { role: 'secretary' }), 'meeting');
        for (const role of ['secretary', 'chair', 'member'] as const) {
          assertValid(meetingCard(s, series, meeting, { role }), `meeting for the ${role}`);
          assertValid(agendaCard(s, series, meeting, { role }), `agenda for the ${role}`);
          for (const item of meeting.agenda)
            for (const live of [true, false])
              assertValid(itemCard(s, series, meeting, item, { role, live }), `item ${item.code} ${role} ${live}`);
        }
      });

      it('actions, minutes and publish cards are valid', () => {
        assertValid(actionsCard(s, series, { role: 'chair' }), 'actions');
        assertValid(actionsCard(s, series, { role: 'member' }), 'actions for a member');
        const models = [minutesModel(series, meeting.id, 'openbaar')];
        assertValid(
          minutesCard(s, meeting.id, models, { canPublish: true, links: [{ title: 'x.docx', url: 'https://example.org/x.docx' }] }),
          'minutes',
        );
        assertValid(
          publishCard(s, meeting.id, 'Besluitenlijst', {
            text: 'klaar',
            style: 'good',
            files: [{ name: 'a.docx', url: 'https://example.org/a' }],
            canRetry: true,
          }),
          'publish',
        );
      });

      it('shows user text verbatim, as data, never as template or markup', () => {
        const card = agendaCard(s, series, meeting, { role: 'chair' });
        const item = itemCard(
          s,
          series,
          meeting,
          meeting.agenda.find((i) => i.kind === 'announcements')!,
          { role: 'chair', live: true },
        );
        assert.ok(JSON.stringify(item).includes(JSON.stringify(HOSTILE_ANNOUNCEMENT).slice(1, -1)));
        assertValid(card, 'agenda');
      });
    });
  }

  describe('a 60-item agenda whose items all carry long proposals', () => {
    const s = strings('nl-NL');
    const series = bigSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;

    it('pages the agenda card within 28 KB, and every item is on some page', () => {
      const first = agendaCard(s, series, meeting, { role: 'chair' });
      assertValid(first, 'agenda page with the current item');
      assert.ok(JSON.stringify(first).includes('D43'), 'the current item is on the page shown');
      const pages = findActions(first).filter((a) => a.verb === 'agendaPage');
      assert.equal(pages.length, 1, 'one page button, which goes round');
      const seen = new Set<string>();
      for (let page = 0; page < 60; page++) {
        const card = agendaCard(s, series, meeting, { role: 'chair', page });
        assertValid(card, `agenda page ${page}`);
        for (const item of meeting.agenda) if (JSON.stringify(card).includes(`"${item.code}"`)) seen.add(item.code);
      }
      assert.equal(seen.size, 60);
    });

    it('clips long texts on item cards and says so, within 28 KB', () => {
      for (const item of meeting.agenda.slice(0, 5)) {
        const card = itemCard(s, series, meeting, item, { role: 'chair', live: true });
        assertValid(card, `item ${item.code}`);
        assert.match(JSON.stringify(card), /ingekort/);
      }
    });

    it('summarises long minutes within 28 KB', () => {
      const card = minutesCard(
        s,
        meeting.id,
        [minutesModel(series, meeting.id, 'openbaar'), minutesModel(series, meeting.id, 'besloten')],
        {
          canPublish: true,
        },
      );
      assertValid(card, 'minutes');
    });
  });

  it('renders a card once for the same data and shares it frozen', () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    const s = strings('nl');
    const item = meeting.agenda[3]!;
    const a = itemCard(s, series, meeting, item, { role: 'chair', live: true });
    assert.equal(itemCard(s, series, meeting, item, { role: 'chair', live: true }), a);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.body));
    assert.throws(() => ((a as { version: string }).version = '1.6'), TypeError);
    assert.notEqual(itemCard(s, series, meeting, item, { role: 'member', live: true }), a);
    assert.notEqual(messageCard('een'), messageCard('twee'));
  });
});
