// PORT: a whole number 0-65535 (0: any free port); empty means the default; anything else is one line
// saying what a port is (zod's "expected number, received NaN" said nothing).
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../services/config';

describe('configuration: PORT', () => {
  it('reads whole numbers 0-65535; empty or blank is the default 3978', () => {
    assert.equal(loadConfig({ PORT: '0' }).port, 0);
    assert.equal(loadConfig({ PORT: ' 8080 ' }).port, 8080);
    assert.equal(loadConfig({ PORT: '65535' }).port, 65535);
    assert.equal(loadConfig({ PORT: '' }).port, 3978);
    assert.equal(loadConfig({ PORT: '  ' }).port, 3978);
    assert.equal(loadConfig({}).port, 3978);
  });

  for (const bad of ['abc', '3.5', '-1', '65536', '1e3', '0x50', '80 80'])
    it(`refuses "${bad}" in one line saying what a port is`, () => {
      assert.throws(
        () => loadConfig({ PORT: bad }),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message === `Configuration: PORT must be a port number 0-65535 (0: any free port) (got "${bad}")`,
      );
    });
});
