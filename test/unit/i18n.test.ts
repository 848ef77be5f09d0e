// The catalogues: field names reach users in their own language, whatever the domain calls them.
import assert from 'node:assert/strict';
import { DomainError } from '../../services/meeting/errors';
import { strings } from '../../services/i18n';
import { cleanText } from '../../services/meeting/operations';
import { meetingInput } from '../../bot/handlers/meeting';

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
