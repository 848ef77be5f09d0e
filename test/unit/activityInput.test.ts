// The edge cleaning of inbound activities: NUL and lone surrogates out of every string and key; fields of
// the wrong type dropped; "__proto__" stays a plain field.
import assert from 'node:assert/strict';
import { cleanStrings, prepareActivity, storableText } from '../../bot/activityInput';

describe('activity input at the edge', () => {
  it('removes NUL and replaces lone surrogates, keeping pairs', () => {
    assert.equal(storableText('a\u0000b'), 'ab');
    assert.equal(storableText('x\ud800y'), 'x\ufffdy');
    assert.equal(storableText('x\udc00'), 'x\ufffd');
    assert.equal(storableText('\ud83d\ude00 ok'), '\ud83d\ude00 ok');
    assert.equal(storableText('\udc00\ud800'), '\ufffd\ufffd');
    assert.equal(JSON.stringify(storableText('\ud83d')), JSON.stringify('\ufffd'));
  });

  it('cleans every string and key, however deep, and leaves "__proto__" an own field', () => {
    let deep: unknown = 'n\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const value = JSON.parse('{"a\\u0000b": "c\\u0000", "__proto__": {"x": "\\ud800"}, "list": ["\\u0000", 1, null]}') as Record<
      string,
      unknown
    >;
    value.deep = deep;
    cleanStrings(value);
    assert.deepEqual(Object.keys(value).sort(), ['__proto__', 'ab', 'deep', 'list']);
    assert.equal(value.ab, 'c');
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { x: '\ufffd' });
    assert.deepEqual(value.list, ['', 1, null]);
    let inner: unknown = value.deep;
    while (Array.isArray(inner)) inner = inner[0];
    assert.equal(inner, 'n');
  });

  it('drops fields of the wrong type and turns timestamps into Dates', () => {
    const a = prepareActivity({
      type: 'message',
      serviceUrl: 'http://x/',
      locale: 42,
      from: { id: '29:a', name: { first: 'x' }, aadObjectId: 7 },
      recipient: 'bot',
      conversation: { id: 'c', tenantId: 5, isGroup: 'yes' },
      channelData: { tenant: 'tenant-1', meeting: { id: 3 } },
      entities: [1, { type: 'mention' }, { type: 'mention', text: 't', mentioned: { id: '29:b', name: 5 } }, { type: 'clientInfo' }],
      timestamp: '2026-01-01T10:00:00Z',
      localTimestamp: 'gisteren',
      membersAdded: ['x', { id: 1 }, { id: '29:c' }],
    }) as unknown as Record<string, unknown>;
    assert.equal(a.locale, undefined);
    assert.deepEqual(a.from, { id: '29:a' });
    assert.equal(a.recipient, undefined);
    assert.deepEqual(a.conversation, { id: 'c' });
    assert.deepEqual(a.channelData, { meeting: {} });
    assert.deepEqual(a.entities, [{ type: 'mention', text: 't', mentioned: { id: '29:b' } }, { type: 'clientInfo' }]);
    assert.ok(a.timestamp instanceof Date);
    assert.equal(a.rawTimestamp, '2026-01-01T10:00:00Z');
    assert.equal(a.localTimestamp, undefined);
    assert.deepEqual(a.membersAdded, [{ id: '29:c' }]);
  });
});
