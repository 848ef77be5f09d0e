// The public-cloud values bot/auth.ts passes to the SDK when a metadata URL is configured are the SDK's
// own (botframework-connector's AuthenticationConstants), so a stand-in URL changes nothing else.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { BOT_FRAMEWORK } from '../../bot/auth';
import { loadConfig } from '../../services/config';

interface SdkConstants {
  AuthenticationConstants: Record<string, string>;
  CallerIdConstants?: Record<string, string>;
}

// botframework-connector is botbuilder's dependency, not ours: load it the way botbuilder does.
const fromBotbuilder = createRequire(require.resolve('botbuilder'));
const connectorPath = fromBotbuilder.resolve('botframework-connector');
const sdk = fromBotbuilder(connectorPath) as SdkConstants;
const schema = createRequire(connectorPath)('botframework-schema') as { CallerIdConstants: Record<string, string> };

describe('Bot Framework public-cloud constants', () => {
  it("match the SDK's", () => {
    const c = sdk.AuthenticationConstants;
    assert.deepEqual(BOT_FRAMEWORK, {
      channelIssuer: c.ToBotFromChannelTokenIssuer,
      channelOpenIdMetadataUrl: c.ToBotFromChannelOpenIdMetadataUrl,
      emulatorOpenIdMetadataUrl: c.ToBotFromEmulatorOpenIdMetadataUrl,
      toChannelFromBotLoginUrl: c.ToChannelFromBotLoginUrl,
      toChannelFromBotOAuthScope: c.ToChannelFromBotOAuthScope,
      oAuthUrl: c.OAuthUrl,
      callerId: schema.CallerIdConstants.PublicAzureChannel,
    });
  });

  it('the OpenID metadata URLs are configurable under the SDK names, as http(s) URLs', () => {
    const c = loadConfig({
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:8080/v1/.well-known/openidconfiguration',
      ToBotFromEmulatorOpenIdMetadataUrl: ' ',
    });
    assert.equal(c.bot.channelOpenIdMetadataUrl, 'http://127.0.0.1:8080/v1/.well-known/openidconfiguration');
    assert.equal(c.bot.emulatorOpenIdMetadataUrl, undefined);
    assert.equal(loadConfig({}).bot.channelOpenIdMetadataUrl, undefined);
    assert.throws(
      () => loadConfig({ ToBotFromChannelOpenIdMetadataUrl: 'login.botframework.com' }),
      /^Error: Configuration: ToBotFromChannelOpenIdMetadataUrl must be an http\(s\) URL/,
    );
  });
});
