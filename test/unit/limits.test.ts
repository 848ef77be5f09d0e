// TurnLimits: token buckets per user (in a chat) and per chat, with an injected clock (issue 12 item 3).
import assert from 'node:assert/strict';
import { TurnLimits } from '../../bot/limits';

const T0 = 1_800_000_000_000;

/** How many of `n` turns at one moment are admitted. */
function admitted(limits: TurnLimits, n: number, at: number, user = 'u', chat = 'c', tenant = 't'): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (limits.admit(tenant, chat, user, at)) count++;
  return count;
}

describe('TurnLimits', () => {
  it('the defaults: a person gets a burst of 60, then 5 a second', () => {
    const limits = new TurnLimits();
    assert.equal(admitted(limits, 100, T0), 60);
    assert.equal(admitted(limits, 10, T0 + 100), 0, 'half a token after 100 ms is not a turn');
    assert.equal(admitted(limits, 10, T0 + 200), 1, 'one token after 200 ms');
    assert.equal(admitted(limits, 10, T0 + 1200), 5, '5 a second');
  });

  it('refills over time up to the burst, never past it', () => {
    const limits = new TurnLimits({ perUser: { burst: 10, perSecond: 2 } });
    assert.equal(admitted(limits, 10, T0), 10);
    assert.equal(admitted(limits, 1, T0), 0);
    assert.equal(admitted(limits, 100, T0 + 60_000), 10, 'a minute idle gives the burst back, not 120');
    assert.equal(admitted(limits, 1, T0 + 60_000 + 499), 0);
    assert.equal(admitted(limits, 1, T0 + 60_000 + 500), 1);
  });

  it('refused turns take nothing: asking again and again does not delay the next allowed turn', () => {
    const limits = new TurnLimits({ perUser: { burst: 2, perSecond: 1 } });
    assert.equal(admitted(limits, 2, T0), 2);
    for (let ms = 0; ms < 1000; ms += 10) assert.equal(limits.admit('t', 'c', 'u', T0 + ms), false);
    assert.equal(limits.admit('t', 'c', 'u', T0 + 1000), true);
  });

  it('one person’s flood leaves the others of the chat their own allowance', () => {
    const limits = new TurnLimits({ perUser: { burst: 5, perSecond: 1 }, perChat: { burst: 100, perSecond: 10 } });
    assert.equal(admitted(limits, 200, T0, 'flooder'), 5);
    assert.equal(admitted(limits, 5, T0, 'other'), 5);
    // The refused 195 took nothing from the chat either: 90 of its 100 are left.
    let others = 0;
    for (let i = 0; i < 200; i++) if (limits.admit('t', 'c', `m${i}`, T0)) others++;
    assert.equal(others, 90);
  });

  it('the defaults: a chat gets 2,000 at once (a thousand members registering) and 200 a second', () => {
    const limits = new TurnLimits();
    let n = 0;
    for (let i = 0; i < 2100; i++) if (limits.admit('t', 'c', `m${i}`, T0)) n++;
    assert.equal(n, 2000);
    assert.equal(limits.admit('t', 'c', 'late', T0 + 4), false, '0.8 of a token');
    assert.equal(limits.admit('t', 'c', 'late', T0 + 5), true, 'one every 5 ms');
    let second = 0;
    for (let i = 0; i < 400; i++) if (limits.admit('t', 'c', `n${i}`, T0 + 1005)) second++;
    assert.equal(second, 200);
  });

  it('chats are told apart by tenant and conversation: the same ids elsewhere have their own allowance', () => {
    const limits = new TurnLimits({ perUser: { burst: 3, perSecond: 1 }, perChat: { burst: 3, perSecond: 1 } });
    assert.equal(admitted(limits, 10, T0, 'u', 'c', 'tenant-1'), 3);
    assert.equal(admitted(limits, 10, T0, 'u', 'c', 'tenant-2'), 3, 'same conversation id, other tenant');
    assert.equal(admitted(limits, 10, T0, 'u', 'c2', 'tenant-1'), 3, 'same user, other chat');
  });

  it('a clock that steps back (an NTP correction) takes no allowance away', () => {
    const limits = new TurnLimits({ perUser: { burst: 10, perSecond: 1 } });
    assert.equal(admitted(limits, 5, T0), 5);
    // The wall clock is set back an hour: the 5 tokens left stay, and refill resumes from there.
    assert.equal(admitted(limits, 10, T0 - 3_600_000), 5);
    assert.equal(admitted(limits, 1, T0 - 3_600_000 + 1000), 1);
  });
});
