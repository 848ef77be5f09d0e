// What the publish card says when publishing failed: short, the step and the cause, no trace ids.
import assert from 'node:assert/strict';
import { briefReason } from '../../bot/handlers/minutes';

describe('publish failure reason on the card', () => {
  it('keeps the step and the Entra ID error, drops trace ids, timestamps and the repeat', () => {
    const entra =
      'could not get a token from Entra ID: ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value. Trace ID: 0a1b Correlation ID: 2c3d Timestamp: 2026-11-25 18:00:00Z AADSTS7000215: Invalid client secret provided. Trace ID: 0a1b';
    assert.equal(
      briefReason(entra),
      'could not get a token from Entra ID: ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided',
    );
  });

  it("reads the Entra ID error inside MSAL's message (code, timestamp, description, ids)", () => {
    const msal =
      'finding the site’s document library failed: could not get a token from Entra ID: invalid_client: Error(s): 7000215 - Timestamp: 2026-11-25 18:00:00Z - Description: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value. Trace ID: 0a1b Correlation ID: 2c3d Timestamp: 2026-11-25 18:00:00Z - Correlation ID: 2c3d - Trace ID: 0a1b';
    assert.equal(
      briefReason(msal),
      'finding the site’s document library failed: could not get a token from Entra ID: AADSTS7000215: Invalid client secret provided',
    );
  });

  it('never ends in a full stop (the sentence around it has its own), and stays short', () => {
    assert.equal(
      briefReason('saving decision 2016-10-10/1 failed (after 5 attempts): 503 serviceNotAvailable: Try again later.'),
      'saving decision 2016-10-10/1 failed (after 5 attempts): 503 serviceNotAvailable: Try again later',
    );
    const long = briefReason(`uploading x failed: ${'y'.repeat(500)}`);
    assert.ok(long.length <= 160);
    assert.ok(long.endsWith('…'));
    assert.equal(briefReason('first line\nstack trace line'), 'first line');
    assert.equal(briefReason(''), '');
  });
});
