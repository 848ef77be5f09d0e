// LiveCards keeps each chat's edits apart by tenant and conversation together, and sends every edit
// through the reference it was asked with (issue 12 item 2). A fake adapter records, for each call, the
// reference it was given and what was sent through it.
import assert from 'node:assert/strict';
import { Activity, CardFactory, ConversationReference, TurnContext } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import { ActivityEx } from 'botframework-schema';
import type { AdaptiveCard } from '../../cards/render';
import type { Where } from '../../bot/afterTurn';
import { LiveCards, LiveCardsAdapter } from '../../bot/liveCards';
import { connectorHttp, ConnectorSend } from '../../bot/connectorHttp';
import { createLogger } from '../../services/log';
import { recordingConnector, SIGNED, signingCredentials } from '../support/recordingConnector';

interface Sent {
  serviceUrl: string;
  tenantId: string;
  conversationId: string;
  op: 'send' | 'update';
  activityId?: string;
  card: unknown;
  /** When it reached the fake connector (Date.now()). */
  at: number;
}

/**
 * The adapter as LiveCards uses it: a proactive turn (the continuation activity) for posts, the credentials
 * an edit is signed with for its connector; `send` is the connector that gets the edits (a PUT to
 * v3/conversations/{id}/activities/{id}, decoded here, with the connector its credentials are for).
 */
class FakeAdapter {
  readonly sent: Sent[] = [];
  /** The credentials asked for, by service URL (each signs as the client for that URL would). */
  readonly credentialsAskedFor: string[] = [];
  async connectorCredentials(_appId: string, serviceUrl: string) {
    this.credentialsAskedFor.push(serviceUrl);
    return { signRequest: async <R>(r: R) => r, serviceUrl };
  }
  readonly send: ConnectorSend = async (request) => {
    const path = new URL(request.url).pathname.split('/').map(decodeURIComponent);
    assert.equal(request.method, 'PUT');
    assert.deepEqual(path.slice(0, 3), ['', 'v3', 'conversations']);
    const activity = JSON.parse(request.body) as {
      id: string;
      serviceUrl: string;
      conversation: { id: string; tenantId: string };
      attachments?: { content?: unknown }[];
    };
    assert.equal(path[3], activity.conversation.id, 'the edit goes to its own conversation');
    assert.equal(activity.id, path[5], 'the body names the message the URL does');
    assert.ok(request.url.startsWith(activity.serviceUrl), 'to the connector the reference names');
    assert.equal((request.credentials as unknown as { serviceUrl: string }).serviceUrl, activity.serviceUrl, 'signed for that connector');
    this.sent.push({
      tenantId: activity.conversation.tenantId,
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl,
      op: 'update',
      activityId: path[5],
      card: activity.attachments?.[0]?.content,
      at: Date.now(),
    });
    return JSON.stringify({ id: path[5] });
  };
  /** Proactive turns made (each builds a connector client in the real adapter). */
  turns = 0;
  private n = 0;

  async continueConversationAsync(
    _appId: string,
    ref: Partial<ConversationReference>,
    logic: (ctx: {
      activity: Record<string, unknown>;
      turnState: Map<symbol, unknown>;
      sendActivity(a: { attachments?: { content?: unknown }[] }): Promise<{ id: string }>;
    }) => Promise<void>,
  ): Promise<void> {
    this.turns++;
    const base = {
      serviceUrl: ref.serviceUrl ?? '',
      tenantId: ref.conversation?.tenantId ?? '',
      conversationId: ref.conversation?.id ?? '',
    };
    await logic({
      activity: {
        type: 'event',
        name: 'ContinueConversation',
        id: `continue-${this.turns}`,
        channelId: ref.channelId,
        serviceUrl: ref.serviceUrl,
        conversation: ref.conversation,
        recipient: ref.bot,
        from: ref.user,
      },
      turnState: new Map(),
      sendActivity: async (a) => {
        const id = `act-${++this.n}`;
        this.sent.push({ ...base, op: 'send', activityId: id, card: a.attachments?.[0]?.content, at: Date.now() });
        return { id };
      },
    });
  }
}

const CONVERSATION = '19:meeting_same@thread.v2';

function where(tenantId: string, serviceUrl: string, conversationId = CONVERSATION): Where {
  return {
    tenantId,
    conversationId,
    ref: { serviceUrl, channelId: 'msteams', conversation: { id: conversationId, tenantId, isGroup: true }, bot: { id: '28:bot' } },
  };
}

const card = (text: string): AdaptiveCard =>
  ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] }) as AdaptiveCard;
const textOf = (c: unknown) => (c as { body: { text: string }[] }).body[0]!.text;

describe('LiveCards: edits by tenant and conversation, each through its own reference', () => {
  let adapter: FakeAdapter;
  let cards: LiveCards;
  const tenant1 = where('tenant-1', 'https://smba.one.example/');
  const tenant2 = where('tenant-2', 'https://smba.two.example/');

  beforeEach(() => {
    adapter = new FakeAdapter();
    // A long debounce: nothing goes out before drain(), so every edit below is pending at the same time.
    cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', adapter.send, createLogger('silent'), {
      debounceMs: 60_000,
      intervalMs: 0,
    });
  });

  afterEach(() => cards.drain());

  it('the same message id in two tenants, both pending: two edits, each with its own card through its own reference', async () => {
    const done = [cards.edit(tenant1, 'act-3', async () => card('Noord')), cards.edit(tenant2, 'act-3', async () => card('Zuid'))];
    assert.equal(adapter.sent.length, 0, 'both pending');
    await cards.drain();
    await Promise.all(done);
    const updates = adapter.sent.map((s) => [s.tenantId, s.serviceUrl, s.conversationId, s.activityId, textOf(s.card)]).sort();
    assert.deepEqual(updates, [
      ['tenant-1', 'https://smba.one.example/', CONVERSATION, 'act-3', 'Noord'],
      ['tenant-2', 'https://smba.two.example/', CONVERSATION, 'act-3', 'Zuid'],
    ]);
  });

  it('many edits of one tenant coalesce into one, sent through that tenant’s reference; the other tenant’s stays its own', async () => {
    const done: Promise<void>[] = [];
    for (let i = 1; i <= 5; i++) {
      done.push(cards.edit(tenant1, 'act-1', async () => card(`Noord ${i}`)));
      done.push(cards.edit(tenant2, 'act-1', async () => card(`Zuid ${i}`)));
    }
    await cards.drain();
    await Promise.all(done);
    assert.deepEqual(adapter.sent.map((s) => [s.serviceUrl, textOf(s.card)]).sort(), [
      ['https://smba.one.example/', 'Noord 5'],
      ['https://smba.two.example/', 'Zuid 5'],
    ]);
  });

  it('a card one tenant already shows does not stop the same card from going to the other tenant', async () => {
    cards.remember(tenant1, 'act-2', card('Gelijk'));
    const done = [cards.edit(tenant1, 'act-2', async () => card('Gelijk')), cards.edit(tenant2, 'act-2', async () => card('Gelijk'))];
    await cards.drain();
    await Promise.all(done);
    assert.deepEqual(
      adapter.sent.map((s) => [s.tenantId, s.activityId]),
      [['tenant-2', 'act-2']],
      'only tenant 1’s edit is skipped (it would change nothing there)',
    );
  });

  it('two messages of one chat, asked for through different references, each go through their own', async () => {
    const again = where('tenant-1', 'https://smba.other-region.example/');
    const done = [cards.edit(tenant1, 'act-1', async () => card('Een')), cards.edit(again, 'act-2', async () => card('Twee'))];
    await cards.drain();
    await Promise.all(done);
    assert.deepEqual(adapter.sent.map((s) => [s.activityId, s.serviceUrl]).sort(), [
      ['act-1', 'https://smba.one.example/'],
      ['act-2', 'https://smba.other-region.example/'],
    ]);
  });

  it('the edits of one chat go out without a proactive turn, each signed for its own connector', async () => {
    const elsewhere = where('tenant-1', 'https://smba.other-region.example/');
    const done = [
      cards.edit(tenant1, 'act-1', async () => card('Agenda')),
      cards.edit(elsewhere, 'act-2', async () => card('Punt')),
      cards.edit(tenant1, 'act-3', async () => card('Vergadering')),
    ];
    await cards.drain();
    await Promise.all(done);
    assert.deepEqual(
      adapter.sent.map((s) => [s.activityId, s.serviceUrl]),
      [
        ['act-1', 'https://smba.one.example/'],
        ['act-2', 'https://smba.other-region.example/'],
        ['act-3', 'https://smba.one.example/'],
      ],
    );
    assert.equal(adapter.turns, 0, 'no proactive turn');
    assert.deepEqual(adapter.credentialsAskedFor, [
      'https://smba.one.example/',
      'https://smba.other-region.example/',
      'https://smba.one.example/',
    ]);
  });

  it('posts go through the reference of their own chat', async () => {
    const id1 = await cards.post(tenant1, card('Noord'));
    const id2 = await cards.post(tenant2, card('Zuid'));
    assert.deepEqual(
      adapter.sent.map((s) => [s.op, s.activityId, s.tenantId, s.serviceUrl]),
      [
        ['send', id1, 'tenant-1', 'https://smba.one.example/'],
        ['send', id2, 'tenant-2', 'https://smba.two.example/'],
      ],
    );
  });
});

describe('LiveCards: when an edit goes', () => {
  const chat = where('tenant-1', 'https://smba.one.example/');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a quiet chat’s edit goes at once; within the interval the next ones wait and coalesce into one', async () => {
    const adapter = new FakeAdapter();
    const cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', adapter.send, createLogger('silent'), {
      intervalMs: 500,
      debounceMs: 50,
    });
    const started = Date.now();
    await cards.edit(chat, 'act-1', async () => card('1'));
    assert.ok(Date.now() - started < 400, 'the first edit did not wait for the interval');
    const later = [2, 3, 4].map((n) => cards.edit(chat, 'act-1', async () => card(String(n))));
    await sleep(100);
    assert.equal(adapter.sent.length, 1, 'within the interval, the next edit waits');
    await Promise.all(later);
    assert.ok(Date.now() - started >= 450, 'it went an interval after the first');
    assert.deepEqual(
      adapter.sent.map((s) => textOf(s.card)),
      ['1', '4'],
      'the three waiting changes became one edit, the newest',
    );
  });

  it('the interval holds across messages and queues: a chat just edited waits, though nothing was pending', async () => {
    const adapter = new FakeAdapter();
    const cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', adapter.send, createLogger('silent'), {
      intervalMs: 500,
      debounceMs: 50,
    });
    await cards.edit(chat, 'act-1', async () => card('1'));
    const next = cards.edit(chat, 'act-2', async () => card('2'));
    await sleep(100);
    assert.equal(adapter.sent.length, 1, 'the second edit waits for the interval');
    await next;
    assert.deepEqual(
      adapter.sent.map((s) => s.activityId),
      ['act-1', 'act-2'],
    );
  });

  it('a flush of several edits makes the next wait an interval per edit (half of Teams’ 60 sends per 30 s), three at a time', async () => {
    const adapter = new FakeAdapter();
    const cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', adapter.send, createLogger('silent'), {
      intervalMs: 200,
      debounceMs: 10,
    });
    const started = Date.now();
    await Promise.all(['act-1', 'act-2', 'act-3', 'act-4'].map((id) => cards.edit(chat, id, async () => card(id))));
    const flushed = Date.now();
    const [a, , c, d] = adapter.sent.map((x) => x.at) as [number, number, number, number];
    assert.ok(c - a < 100, `the first three went together (${c - a} ms)`);
    assert.ok(d - c >= 390, `the fourth went two intervals after them (${d - c} ms)`);
    assert.ok(flushed - started >= 390);
    await cards.edit(chat, 'act-1', async () => card('again'));
    const waited = Date.now() - flushed;
    assert.ok(waited >= 760, `four edits: the next waited four intervals (${waited} ms)`);
    assert.equal(adapter.sent.length, 5);
  });

  it('over the hour a chat draws on a budget of its own: spent, its next edit waits for one more to come in', async () => {
    const adapter = new FakeAdapter();
    const cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', adapter.send, createLogger('silent'), {
      intervalMs: 10,
      debounceMs: 1,
      editBudget: { burst: 2, refillMs: 400 },
    });
    const other = where('tenant-1', 'https://smba.one.example/', '19:other@thread.v2');
    const timed = async (w: Where, text: string) => {
      const from = Date.now();
      await cards.edit(w, 'act-1', async () => card(text));
      return Date.now() - from;
    };
    assert.ok((await timed(chat, '1')) < 100, 'the first edit goes at once');
    assert.ok((await timed(chat, '2')) < 100, 'the second after its interval');
    const third = await timed(chat, '3');
    assert.ok(third >= 300, `the budget spent, the third waited for it to refill (${third} ms)`);
    assert.ok((await timed(other, 'elders')) < 100, 'another chat keeps a budget of its own');
    const fourth = await timed(chat, '4');
    assert.ok(fourth >= 300, `and so did the fourth (${fourth} ms)`);
    assert.deepEqual(
      adapter.sent.map((s) => textOf(s.card)),
      ['1', '2', '3', 'elders', '4'],
    );
  });

  it('a busy process spaces the edits further apart while other chats wait for theirs; a chat alone keeps its pace', async () => {
    const adapter = new FakeAdapter();
    const cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', adapter.send, createLogger('silent'), {
      intervalMs: 200,
      debounceMs: 10,
    });
    const busyFor = (ms: number) => {
      // The event loop never rests, as under a load it cannot keep up with.
      const from = Date.now();
      while (Date.now() - from < ms) Math.sqrt(Math.random());
    };
    await cards.edit(chat, 'act-1', async () => card('1'));
    let flushed = Date.now();
    busyFor(300);
    await cards.edit(chat, 'act-1', async () => card('2'));
    assert.ok(Date.now() - flushed < 450, `alone: the edit kept its interval (${Date.now() - flushed} ms)`);

    flushed = Date.now();
    // Another chat's edit is in flight (its render waits) while this one's comes in.
    let release!: () => void;
    const other = cards.edit(
      where('tenant-a', 'https://smba.example/', '19:other@thread.v2'),
      'act-9',
      () => new Promise<AdaptiveCard>((resolve) => (release = () => resolve(card('other')))),
    );
    busyFor(300);
    await cards.edit(chat, 'act-1', async () => card('3'));
    const waited = Date.now() - flushed;
    release();
    await other;
    assert.ok(waited >= 500, `with other chats waiting: the next edit waited more than its interval (${waited} ms)`);
  });
});

describe('LiveCards: an edit signed by the SDK’s connector client', () => {
  it('is signed by the client’s credentials and a 503 is retried, as the SDK’s own calls are, and is the request the SDK makes', async () => {
    // A 503 first, then what the connector answers an edit.
    const connectorStandIn = await recordingConnector((n) =>
      n === 1 ? { status: 503, body: { error: { code: 'ServiceError', message: 'busy' } } } : { status: 200, body: { id: 'act-1' } },
    );
    const { seen, url: serviceUrl } = connectorStandIn;
    try {
      const log = createLogger('silent');
      // What the adapter's connector factory builds: botframework-connector's client over our HTTP client,
      // with credentials that sign each request (here a fixed token instead of one from Entra).
      const connector = connectorHttp({ timeoutMs: 5000, log });
      const client = new ConnectorClient(signingCredentials, { baseUri: serviceUrl, httpClient: connector.sdk });
      const conversation = { id: '19:signed@thread.v2', tenantId: 'tenant-1', conversationType: 'groupChat' };
      // NotulistAdapter gives the credentials of its kept client for the connector.
      const adapter = { connectorCredentials: async () => client.credentials };
      const cards = new LiveCards(adapter as unknown as LiveCardsAdapter, '', connector.send, log, { intervalMs: 0 });
      const where: Where = {
        tenantId: conversation.tenantId,
        conversationId: conversation.id,
        // As a turn's reference names it: the message it answered, who sent it, the language.
        ref: {
          channelId: 'msteams',
          serviceUrl,
          conversation,
          activityId: 'f:incoming-7',
          user: { id: '29:member', name: 'Lid' },
          bot: { id: '28:bot', name: 'Notulist' },
          locale: 'nl-NL',
        },
      };
      await cards.edit(where, 'act-1', async () => card('signed'));
      assert.equal(seen.length, 2, 'the 503 was retried once');
      for (const request of seen) {
        assert.equal(request.method, 'PUT');
        assert.equal(request.path, `/v3/conversations/${encodeURIComponent(conversation.id)}/activities/act-1`);
        assert.equal(request.authorization, SIGNED);
        const body = JSON.parse(request.body) as {
          type: string;
          id: string;
          conversation: { id: string };
          attachments: { content: unknown }[];
        };
        assert.equal(body.type, 'message');
        assert.equal(body.id, 'act-1');
        assert.equal(body.conversation.id, conversation.id);
        assert.deepEqual(body.attachments[0]!.content, card('signed'));
      }
      // The same edit as TurnContext.updateActivity makes it in a proactive turn (continueConversationAsync's
      // continuation activity), through the client's operation: the same request.
      const continuation = ActivityEx.getContinuationActivity(where.ref as Partial<ConversationReference>) as Activity;
      const sdkActivity = TurnContext.applyConversationReference(
        { type: 'message', id: 'act-1', attachments: [CardFactory.adaptiveCard(card('signed'))] },
        TurnContext.getConversationReference(continuation),
      );
      await client.conversations.updateActivity(conversation.id, 'act-1', sdkActivity as Activity);
      const [ours, sdk] = [seen[1]!, seen[2]!];
      assert.equal(ours.path, sdk.path);
      assert.equal(ours.contentType, sdk.contentType);
      assert.equal(ours.accept, '*/*', 'as the SDK’s connector factory sets it');
      assert.match(
        ours.userAgent ?? '',
        /^Microsoft-BotFramework\/3\.1 /,
        'a Bot Framework user agent, as the connector factory’s clients send',
      );
      assert.equal(ours.authorization, sdk.authorization);
      // The SDK names its continuation's own id as what the edit answers; an edit answers nothing.
      const { replyToId, ...sdkBody } = JSON.parse(sdk.body) as Record<string, unknown>;
      assert.equal(replyToId, continuation.id);
      assert.deepEqual(JSON.parse(ours.body), sdkBody, 'the body the SDK would send');
    } finally {
      connectorStandIn.close();
    }
  });
});
