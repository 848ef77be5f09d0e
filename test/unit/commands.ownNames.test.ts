// Names that every JavaScript object inherits (constructor, toString, __proto__, hasOwnProperty) are not
// verbs, keywords or outcome tags: they answer like any unknown word.
import assert from 'node:assert/strict';
import { parseCardData, parseText } from '../../bot/commands';

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('commands: names inherited from Object.prototype', () => {
  for (const name of INHERITED) {
    it(`card verb "${name}" is bad card data, in the data and as the Action.Execute verb`, () => {
      assert.deepEqual(parseCardData({ verb: name }).command, { kind: 'invalid', reason: 'badCardData' });
      assert.deepEqual(parseCardData({}, name).command, { kind: 'invalid', reason: 'badCardData' });
      assert.deepEqual(parseCardData(JSON.parse(`{"verb": ${JSON.stringify(name)}, "meetingId": "m1"}`)).command, {
        kind: 'invalid',
        reason: 'badCardData',
      });
    });

    it(`typed "${name}" is an unknown command`, () => {
      assert.deepEqual(parseText(name), { kind: 'unknown', word: name });
      assert.deepEqual(parseText(`${name}: tekst`), { kind: 'unknown', word: `${name}: tekst` });
    });

    it(`"[${name}]" at the end of a decision is text, not an outcome`, () => {
      assert.deepEqual(parseText(`besluit: Tekst [${name}]`), {
        kind: 'decision',
        code: undefined,
        outcome: undefined,
        text: `Tekst [${name}]`,
      });
    });
  }

  it('a meeting line named after an inherited member does not disturb the others', () => {
    const cmd = parseText('vergadering\n__proto__: x\nconstructor: y\ntitel: DVO');
    assert.equal(cmd.kind, 'plan');
    assert.equal((cmd as { fields: Record<string, string> }).fields.titel, 'DVO');
  });
});
