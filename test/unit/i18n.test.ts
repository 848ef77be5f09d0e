// The catalogues: field names reach users in their own language, whatever the domain calls them.
import assert from 'node:assert/strict';
import { DomainError } from '../../services/meeting/errors';
import { strings } from '../../services/i18n';
import { cleanText } from '../../services/meeting/operations';
import { meetingInput } from '../../bot/handlers/meeting';
import { messageCard } from '../../cards/cards';

const message = (locale: string, fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError);
    const render = strings(locale).errors[err.code] as (p: Record<string, string | number>) => string;
    return render(err.params ?? {});
  }
  throw new Error('expected a DomainError');
};

describe('i18n: field names in the reader’s language', () => {
  it('a meeting without title and date names the missing fields in Dutch or English', () => {
    assert.equal(
      message('nl-NL', () => meetingInput({}, 'nl-NL')),
      'Er ontbreekt iets: titel, datum.',
    );
    assert.equal(
      message('en-US', () => meetingInput({}, 'en-US')),
      'Something is missing: title, date.',
    );
  });

  it('an empty or overlong text names its field', () => {
    assert.match(
      message('nl-NL', () => cleanText('  ', 'announcement')),
      /\(mededeling\)/,
    );
    assert.match(
      message('en-GB', () => cleanText('  ', 'announcement')),
      /\(announcement\)/,
    );
    assert.match(
      message('nl-NL', () => cleanText('x'.repeat(20), 'onBehalfOf', 10)),
      /\(namens\): hoogstens 10 tekens/,
    );
    assert.match(
      message('en-GB', () => cleanText('x'.repeat(20), 'onBehalfOf', 10)),
      /\(on behalf of\): 10 characters at most/,
    );
  });
});

describe('i18n: user text inside markdown replies', () => {
  const hostile = '**Vet** <b>x</b> [link](https://example.org) `code` _schuin_ # kop & co';

  it('every string argument of a reply is escaped, so it shows as typed', () => {
    for (const locale of ['nl-NL', 'en-US']) {
      const s = strings(locale);
      const reply = s.done.announcement('1', hostile);
      assert.ok(
        reply.includes('\\*\\*Vet\\*\\* \\<b\\>x\\</b\\> \\[link\\](https://example.org) \\`code\\` \\_schuin\\_ \\# kop \\& co'),
        reply,
      );
      assert.match(s.errors.unknownItem({ code: '*D1*' }), /\\\*D1\\\*/);
      assert.match(s.input.unknownCommand('<script>'), /\\<script\\>/);
      // Teams hides "{…}" in a message: braces are escaped too.
      assert.match(s.done.planned('Begroting {2027}', '1 januari 2027'), /Begroting \\\{2027\\\}/);
    }
  });

  it('numbers and our own markup stay as they are: counts, command hints, a mention', () => {
    const s = strings('nl-NL');
    assert.equal(s.done.agendaSet(3), 'Agenda gezet met 3 punten.');
    assert.match(s.errors.noMeeting(), /`vergadering`/);
    assert.match(s.done.meetingEnded('<at>H. Meuleman</at>'), /^De vergadering is afgelopen\. <at>H\. Meuleman<\/at>,/);
  });

  it('a card showing the same sentence (banner, message card) shows the text as typed', () => {
    const card = messageCard(strings('nl-NL').done.announcement('1', hostile), 'good');
    assert.ok(JSON.stringify(card).includes(JSON.stringify(`Mededeling 1 van ${hostile} vastgelegd.`)));
  });
});
