// The SDK's clients are made once per app id, service URL and audience (bot/adapter.ts BotAuthentication),
// not once per turn and card edit; a client that could not be made is made again next time.
import assert from 'node:assert/strict';
import type { Activity, ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { BotAuthentication, NotulistAdapter } from '../../bot/adapter';

const activity = (serviceUrl: string) =>
  ({ type: 'message', channelId: 'msteams', serviceUrl, conversation: { id: '19:x@thread.v2' }, from: { id: '29:a' } }) as Activity;

describe('the SDK clients of the bot', () => {
  const auth = () =>
    new BotAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' } as ConfigurationBotFrameworkAuthenticationOptions);

  it('gives every turn to one connector the same ConnectorClient, another connector its own', async () => {
    const a = auth();
    const first = await a.authenticateRequest(activity('http://127.0.0.1:9/'), '');
    const second = await a.authenticateRequest(activity('http://127.0.0.1:9/'), '');
    const one = await first.connectorFactory!.create('http://127.0.0.1:9/', undefined);
    assert.equal(await second.connectorFactory!.create('http://127.0.0.1:9/', undefined), one);
    // A proactive turn (a card edit) asks through createConnectorFactory: the same client.
    assert.equal(await a.createConnectorFactory(first.claimsIdentity).create('http://127.0.0.1:9/', undefined), one);
    assert.notEqual(await first.connectorFactory!.create('http://127.0.0.1:10/', undefined), one);
    assert.notEqual(await auth().createConnectorFactory(first.claimsIdentity).create('http://127.0.0.1:9/', undefined), one);
  });

  it('gives every turn the same UserTokenClient', async () => {
    const a = auth();
    const { claimsIdentity } = await a.authenticateRequest(activity('http://127.0.0.1:9/'), '');
    assert.equal(await a.createUserTokenClient(claimsIdentity), await a.createUserTokenClient(claimsIdentity));
  });

  it('signs the bot’s own requests (card edits) with the credentials a proactive turn’s client has', async () => {
    const appId = '00000000-0000-0000-0000-0000000000a1';
    const a = new BotAuthentication({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'secret',
    } as ConfigurationBotFrameworkAuthenticationOptions);
    const adapter = new NotulistAdapter(a, undefined);
    const ref = {
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/',
      conversation: { id: '19:x@thread.v2' },
      bot: { id: `28:${appId}` },
    };
    let turns: unknown;
    await adapter.continueConversationAsync(appId, ref as unknown as Partial<Activity>, async (ctx) => {
      turns = (ctx.turnState.get(adapter.ConnectorClientKey) as { credentials: unknown }).credentials;
    });
    const credentials = await adapter.connectorCredentials(appId, 'http://127.0.0.1:9/');
    assert.ok(credentials);
    assert.equal(credentials, turns, 'the same credentials (one kept client, the same audience)');
    assert.equal((credentials as unknown as { appId?: string }).appId, appId);
    assert.notEqual(await adapter.connectorCredentials(appId, 'http://127.0.0.1:10/'), turns, 'another connector: its own client');
  });
});
