// Flood limits at the door: one member, or one chat, sending far more than a meeting needs is answered
// politely and changes nothing. Token buckets per instance (several instances each allow this much):
// a person may send bursts of 60 commands and 5 a second after that; a chat as a whole 2,000 at once
// (a thousand members registering together) and 200 a second.
interface Bucket {
  tokens: number;
  at: number;
}

export interface LimitOptions {
  perUser?: { burst: number; perSecond: number };
  perChat?: { burst: number; perSecond: number };
}

const MAX_BUCKETS = 50_000;

export class TurnLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perUser: { burst: number; perSecond: number };
  private readonly perChat: { burst: number; perSecond: number };

  constructor(opts: LimitOptions = {}) {
    this.perUser = opts.perUser ?? { burst: 60, perSecond: 5 };
    this.perChat = opts.perChat ?? { burst: 2000, perSecond: 200 };
  }

  /** Takes one turn from the sender's and the chat's allowance; false when either is spent. */
  admit(tenantId: string, conversationId: string, userId: string, now = Date.now()): boolean {
    const chat = `${tenantId}\u0000${conversationId}`;
    const user = `${chat}\u0000${userId}`;
    if (!this.available(user, this.perUser, now) || !this.available(chat, this.perChat, now)) return false;
    this.buckets.get(user)!.tokens -= 1;
    this.buckets.get(chat)!.tokens -= 1;
    return true;
  }

  private available(key: string, limit: { burst: number; perSecond: number }, now: number): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
      b = { tokens: limit.burst, at: now };
      this.buckets.set(key, b);
    }
    // A wall clock set back (an NTP step) refills nothing, and takes nothing away either.
    b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * limit.perSecond);
    b.at = now;
    return b.tokens >= 1;
  }
}
