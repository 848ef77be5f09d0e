// Configuration: embedded defaults without any variable, and one clear line for each wrong value.
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../services/config';

const refused = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => err instanceof ConfigError && pattern.test(err.message) && !err.message.includes('\n'),
  );

describe('configuration', () => {
  it('runs on embedded defaults with no variable at all: local mode, loopback, SQLite, minutes to a folder', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3978);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.localMode, true);
    assert.equal(c.dataDir, './data');
    assert.equal(c.minutesDir, './data/minutes');
    assert.equal(c.minutesClosedDir, './data/minutes/besloten', 'the closed tree beside the meeting folders, inside MINUTES_DIR');
    assert.deepEqual(c.testHooks, { pauseAfterTempFile: undefined, pausePublishAt: undefined }, 'test hooks are off');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.sharePoint, undefined);
    assert.equal(c.publicUrl, undefined);
    assert.equal(c.graph.baseUrl, 'https://graph.microsoft.com');
  });

  it('with an app id: token checks on, all interfaces, Graph credentials default to the bot', () => {
    const c = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant', SHAREPOINT_SITE_ID: 'site' });
    assert.equal(c.localMode, false);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.bot.appType, 'SingleTenant');
    assert.deepEqual([c.graph.tenantId, c.graph.clientId, c.graph.clientSecret], ['tenant', 'app', 'pw']);
    assert.equal(c.sharePoint?.folder, 'Besluitenlijsten');
    assert.equal(c.sharePoint?.closedFolder, 'Besloten');
    assert.equal(c.sharePoint?.closedDecisionsListId, undefined, 'no closed lists unless set: nothing closed goes to a list');
  });

  it('a variable that must name a place and is set blank says so, not in the validator’s words', () => {
    refused({ DATA_DIR: '  ' }, /^Configuration: DATA_DIR must be a directory, not blank \(got " {2}"\)$/);
    refused({ SHAREPOINT_FOLDER: '' }, /^Configuration: SHAREPOINT_FOLDER must be a folder name, not blank \(got ""\)$/);
    refused({ SHAREPOINT_CLOSED_FOLDER: ' ' }, /^Configuration: SHAREPOINT_CLOSED_FOLDER must be a folder name, not blank/);
    refused(
      { LOG_LEVEL: 'luid' },
      /^Configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "luid"\)$/,
    );
  });

  it('the closed part’s places: MINUTES_CLOSED_DIR follows MINUTES_DIR; each must be a place of its own', () => {
    assert.equal(loadConfig({ MINUTES_DIR: '/srv/notulen/' }).minutesClosedDir, '/srv/notulen/besloten');
    assert.equal(loadConfig({ MINUTES_CLOSED_DIR: '/srv/vertrouwelijk' }).minutesClosedDir, '/srv/vertrouwelijk');
    const sp = loadConfig({
      SHAREPOINT_SITE_ID: 'site',
      GRAPH_TENANT_ID: 't',
      GRAPH_CLIENT_ID: 'c',
      GRAPH_CLIENT_SECRET: 's',
      SHAREPOINT_CLOSED_FOLDER: 'Vertrouwelijk/Besloten',
      SHAREPOINT_CLOSED_DECISIONS_LIST_ID: 'cd',
      SHAREPOINT_CLOSED_ACTIONS_LIST_ID: 'ca',
    }).sharePoint;
    assert.deepEqual([sp?.closedFolder, sp?.closedDecisionsListId, sp?.closedActionsListId], ['Vertrouwelijk/Besloten', 'cd', 'ca']);
    refused(
      { MINUTES_DIR: '/srv/notulen', MINUTES_CLOSED_DIR: '/srv/notulen/' },
      /^Configuration: MINUTES_CLOSED_DIR must be another folder than MINUTES_DIR/,
    );
    refused(
      { SHAREPOINT_FOLDER: 'Notulen', SHAREPOINT_CLOSED_FOLDER: '/notulen/' },
      /SHAREPOINT_CLOSED_FOLDER must be another folder than SHAREPOINT_FOLDER/,
    );
    refused(
      { SHAREPOINT_DECISIONS_LIST_ID: 'd', SHAREPOINT_CLOSED_DECISIONS_LIST_ID: 'd' },
      /SHAREPOINT_CLOSED_DECISIONS_LIST_ID must be a list of its own, not one of the public lists/,
    );
    refused(
      { SHAREPOINT_ACTIONS_LIST_ID: 'a', SHAREPOINT_CLOSED_ACTIONS_LIST_ID: 'a' },
      /SHAREPOINT_CLOSED_ACTIONS_LIST_ID must be a list of its own/,
    );
    assert.equal(loadConfig({ NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE: 'besloten' }).testHooks.pauseAfterTempFile, 'besloten');
    refused({ NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE: 'ja' }, /NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE must be openbaar or besloten/);
    assert.equal(loadConfig({ NOTULIST_TEST_HOOK_PAUSE_PUBLISH: 'uploaded' }).testHooks.pausePublishAt, 'uploaded');
    refused({ NOTULIST_TEST_HOOK_PAUSE_PUBLISH: 'ja' }, /NOTULIST_TEST_HOOK_PAUSE_PUBLISH must be begun or uploaded/);
  });

  it('the Graph token is asked for the Graph that is called, unless GRAPH_SCOPE says otherwise', () => {
    assert.equal(loadConfig({}).graph.scope, 'https://graph.microsoft.com/.default');
    assert.equal(loadConfig({ GRAPH_BASE_URL: 'https://graph.microsoft.us/' }).graph.scope, 'https://graph.microsoft.us/.default');
    assert.equal(loadConfig({ GRAPH_BASE_URL: 'https://127.0.0.1:8443/graph' }).graph.scope, 'https://127.0.0.1:8443/.default');
    assert.equal(loadConfig({ GRAPH_SCOPE: 'api://x/.default' }).graph.scope, 'api://x/.default');
  });

  it('PUBLIC_URL is an http(s) address; a trailing slash is dropped; empty means unset', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://notulist.example.org/' }).publicUrl, 'https://notulist.example.org');
    assert.equal(loadConfig({ PUBLIC_URL: '  ' }).publicUrl, undefined);
    refused(
      { PUBLIC_URL: 'notulist.example.org' },
      /^Configuration: PUBLIC_URL must be an http\(s\) URL .*\(got "notulist.example.org"\)$/,
    );
  });

  it('MINUTES_PDF is 0 or 1, off unless set (whether LibreOffice is there is checked at start)', () => {
    assert.equal(loadConfig({}).minutesPdf, false);
    assert.equal(loadConfig({ MINUTES_PDF: '0' }).minutesPdf, false);
    assert.equal(loadConfig({ MINUTES_PDF: ' ' }).minutesPdf, false);
    assert.equal(loadConfig({ MINUTES_PDF: '1' }).minutesPdf, true);
    refused({ MINUTES_PDF: 'ja' }, /^Configuration: MINUTES_PDF must be 0 or 1 \(1: a PDF\/A copy .*\(got "ja"\)$/);
  });

  it('names the variable and what it expects', () => {
    refused({ PORT: 'abc' }, /^Configuration: PORT must be/);
    refused({ PORT: '70000' }, /PORT must be a port number/);
    refused({ MicrosoftAppId: 'app' }, /MicrosoftAppPassword must be the client secret/);
    refused({ MicrosoftAppType: 'Single' }, /MicrosoftAppType must be one of MultiTenant, SingleTenant, UserAssignedMSI/);
    refused({ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ connection URL/);
    refused({ SHAREPOINT_SITE_ID: 'site' }, /GRAPH_TENANT_ID must be set \(or MicrosoftAppTenantId\)/);
    refused({ GRAPH_BASE_URL: 'graph' }, /GRAPH_BASE_URL must be an http\(s\) URL/);
    refused({ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/);
  });
});
