// A typed command's answer goes through the bot's own pipeline (bot/replies.ts), as the request the SDK's
// sendActivity makes: a reply to the turn's activity, signed by the turn's connector client's credentials,
// a 503 retried; the connector's id comes back, and what it refuses is an error the turn sees.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Activity, TurnContext } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import { connectorHttp, ConnectorUnreachable } from '../../bot/connectorHttp';
import { Replies } from '../../bot/replies';
import { createLogger } from '../../services/log';
import {
  RecordedRequest,
  recordingConnector,
  RecordingConnector,
  ScriptedAnswer,
  SIGNED,
  signingCredentials,
} from '../support/recordingConnector';

describe('Replies: a turn’s answer through the bot’s own pipeline', () => {
  let connectorStandIn: RecordingConnector;
  let seen: RecordedRequest[];
  let answers: ScriptedAnswer[];
  let serviceUrl: string;

  beforeEach(async () => {
    answers = [];
    connectorStandIn = await recordingConnector((n) => answers.shift() ?? { status: 200, body: { id: `msg-${n}` } });
    ({ seen, url: serviceUrl } = connectorStandIn);
  });
  afterEach(() => connectorStandIn.close());

  /** A turn as CloudAdapter makes it: the activity, and the connector client (its credentials) in the turn state. */
  function turn(incomingChanges: Partial<Activity> = {}, url = serviceUrl) {
    const log = createLogger('silent');
    const connector = connectorHttp({ timeoutMs: 5000, log });
    const client = new ConnectorClient(signingCredentials, { baseUri: url, httpClient: connector.sdk });
    const key = Symbol('ConnectorClient');
    const incoming = {
      type: 'message',
      id: 'f:incoming-1',
      channelId: 'msteams',
      serviceUrl: url,
      text: 'mededeling: x',
      from: { id: '29:member', name: 'Lid' },
      recipient: { id: '28:bot', name: 'Notulist' },
      conversation: { id: '19:chat@thread.v2', tenantId: 'tenant-1', conversationType: 'groupChat' },
      locale: 'nl-NL',
      ...incomingChanges,
    } as unknown as Activity;
    const ctx = new TurnContext({ ConnectorClientKey: key } as never, incoming);
    ctx.turnState.set(key, client);
    return { ctx, client, replies: new Replies(connector.send), incoming };
  }

  it('is the request sendActivity makes, signed by the turn’s credentials, and gives the connector’s id', async () => {
    const { ctx, client, replies, incoming } = turn();
    const id = await replies.reply(ctx, { text: 'Mededeling geregistreerd.' });
    assert.equal(id, 'msg-1');
    assert.equal(ctx.responded, true);
    const sdkActivity = TurnContext.applyConversationReference(
      { type: 'message', text: 'Mededeling geregistreerd.' },
      TurnContext.getConversationReference(incoming),
    );
    await client.conversations.replyToActivity(incoming.conversation.id, incoming.id!, sdkActivity as Activity);
    const [ours, sdk] = [seen[0]!, seen[1]!];
    assert.equal(ours.method, 'POST');
    assert.equal(
      ours.path,
      `/v3/conversations/${encodeURIComponent(incoming.conversation.id)}/activities/${encodeURIComponent(incoming.id!)}`,
    );
    assert.equal(ours.path, sdk.path);
    assert.equal(ours.contentType, sdk.contentType);
    assert.equal(ours.accept, '*/*', 'as the SDK’s connector factory sets it');
    assert.equal(ours.authorization, SIGNED);
    assert.equal(ours.authorization, sdk.authorization);
    assert.deepEqual(JSON.parse(ours.body), JSON.parse(sdk.body), 'the body the SDK would send');
  });

  it('a 503 is retried as the SDK’s client retries it; a 400 is an error with the connector’s own message', async () => {
    const { ctx, replies } = turn();
    answers.push({ status: 503, body: { error: { code: 'ServiceError', message: 'busy' } } });
    assert.equal(await replies.reply(ctx, { text: 'een' }), 'msg-2');
    assert.equal(seen.length, 2, 'retried once');
    answers.push({ status: 400, body: { error: { code: 'BadArgument', message: 'Activity text too long' } } });
    await assert.rejects(replies.reply(ctx, { text: 'twee' }), (err: Error & { statusCode?: number }) => {
      assert.equal(err.statusCode, 400);
      assert.match(err.message, /Activity text too long/);
      return true;
    });
  });

  it('a text answer carries the input hint sendActivity(text) gives it', async () => {
    const { ctx, replies } = turn();
    await replies.text(ctx, 'Te lang.');
    const body = JSON.parse(seen[0]!.body) as { type: string; text: string; inputHint: string };
    assert.deepEqual([body.type, body.text, body.inputHint], ['message', 'Te lang.', 'acceptingInput']);
  });

  it('a 429 waits for its Retry-After before the next try', async () => {
    const { ctx, replies } = turn();
    answers.push({ status: 429, body: { error: { code: 'Throttled', message: 'slow down' } }, headers: { 'retry-after': '1' } });
    assert.equal(await replies.reply(ctx, { text: 'een' }), 'msg-2');
    assert.equal(seen.length, 2);
    assert.ok(seen[1]!.at - seen[0]!.at >= 900, `waited ${seen[1]!.at - seen[0]!.at} ms`);
  });

  it('an unreachable connector fails at once, tried once', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { ctx, replies } = turn({}, url);
    await assert.rejects(replies.reply(ctx, { text: 'een' }), ConnectorUnreachable);
  });

  it('an activity without an id is answered in its conversation, not as a reply', async () => {
    const { ctx, replies } = turn({ id: undefined });
    await replies.reply(ctx, { text: 'een' });
    assert.equal(seen[0]!.path, `/v3/conversations/${encodeURIComponent('19:chat@thread.v2')}/activities`);
  });

  it('a turn that wants its answers in the HTTP answer (ExpectReplies) gets them from the SDK', async () => {
    const { ctx, replies } = turn({ deliveryMode: 'expectReplies' });
    await replies.reply(ctx, { text: 'een' });
    assert.equal(seen.length, 0, 'nothing sent to the connector');
    assert.deepEqual(
      ctx.bufferedReplyActivities.map((a) => a.text),
      ['een'],
    );
  });
});
