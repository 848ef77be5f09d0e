// The SDK's clients are made once per app id, service URL and audience (bot/adapter.ts BotAuthentication),
// not once per turn and card edit; a client that could not be made is made again next time.
import assert from 'node:assert/strict';
import type { Activity, ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { BotAuthentication } from '../../bot/adapter';

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
});
