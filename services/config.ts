// Configuration from the environment (and a .env file), validated once at start. A wrong value stops
// the bot with one line naming the variable and what it expects.
import { resolve } from 'node:path';
// zod 3, the major botbuilder's packages depend on, so npm installs one copy for all of them: zod 4 here
// made five load (ours and their four), 4.5 MB more of a heap that every full collection marks.
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const folderName = z.string().trim().min(1, 'a folder name, not blank');
const isHttpUrl = (v: string) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v);
const url = (what: string) =>
  z
    .string()
    .trim()
    .refine(isHttpUrl, `an http(s) URL (${what})`)
    .transform((v) => v.replace(/\/+$/, ''));

const schema = z
  .object({
    PORT: optionalText
      .refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), 'a port number 0-65535 (0: any free port)')
      .transform((v) => (v === undefined ? 3978 : Number(v))),
    HOST: optionalText,
    PUBLIC_URL: optionalText
      .refine(
        (v) => v === undefined || (/^https?:\/\/[^\s?#]+$/.test(v) && URL.canParse(v)),
        "an http(s) URL without query or fragment (where users' browsers reach the bot)",
      )
      .transform((v) => v?.replace(/\/+$/, '')),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText,
    // botbuilder's own setting names: where the keys that sign incoming tokens are published. Microsoft's
    // by default; another value for a national cloud or a test stand-in.
    ToBotFromChannelOpenIdMetadataUrl: optionalText.refine(
      (v) => v === undefined || isHttpUrl(v),
      'an http(s) URL (OpenID metadata of the Bot Connector)',
    ),
    ToBotFromEmulatorOpenIdMetadataUrl: optionalText.refine(
      (v) => v === undefined || isHttpUrl(v),
      'an http(s) URL (OpenID metadata of Entra ID tokens)',
    ),
    MicrosoftAppType: z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        message: 'one of MultiTenant, SingleTenant, UserAssignedMSI',
      })
      .optional(),
    DATA_DIR: z.string().trim().min(1, 'a directory, not blank').default('./data'),
    DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'a postgres:// connection URL'),
    MINUTES_DIR: optionalText,
    MINUTES_CLOSED_DIR: optionalText,
    MINUTES_PDF: optionalText
      .refine((v) => v === undefined || v === '0' || v === '1', '0 or 1 (1: a PDF/A copy beside each published .docx, by LibreOffice)')
      .transform((v) => v === '1'),
    // The body's house style on every page of the minutes; a chat's secretary can set its own texts.
    MINUTES_BODY: optionalText.refine((v) => v === undefined || v.length <= 200, 'at most 200 characters (the body’s name)'),
    MINUTES_HEADER_LINE: optionalText.refine((v) => v === undefined || v.length <= 200, 'at most 200 characters (the header line)'),
    MINUTES_LOGO: optionalText,
    MINUTES_LOGOS: optionalText,
    SHAREPOINT_SITE_ID: optionalText,
    SHAREPOINT_DRIVE_ID: optionalText,
    SHAREPOINT_FOLDER: folderName.default('Besluitenlijsten'),
    SHAREPOINT_DECISIONS_LIST_ID: optionalText,
    SHAREPOINT_ACTIONS_LIST_ID: optionalText,
    SHAREPOINT_CLOSED_FOLDER: folderName.default('Besloten'),
    SHAREPOINT_CLOSED_DECISIONS_LIST_ID: optionalText,
    SHAREPOINT_CLOSED_ACTIONS_LIST_ID: optionalText,
    GRAPH_TENANT_ID: optionalText,
    GRAPH_CLIENT_ID: optionalText,
    GRAPH_CLIENT_SECRET: optionalText,
    GRAPH_BASE_URL: url('Graph endpoint').default('https://graph.microsoft.com'),
    GRAPH_AUTHORITY_HOST: url('Entra ID authority host').default('https://login.microsoftonline.com'),
    GRAPH_SCOPE: optionalText,
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    // A test hook, inert unless set (see FolderPublisherOptions.pauseAfterTempFile).
    NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE: optionalText.refine(
      (v) => v === undefined || v === 'openbaar' || v === 'besloten',
      'openbaar or besloten (a test hook)',
    ),
    // A test hook, inert unless set (see MinutesTestHooks.pausePublishAt).
    NOTULIST_TEST_HOOK_PAUSE_PUBLISH: optionalText.refine(
      (v) => v === undefined || v === 'begun' || v === 'uploaded',
      'begun or uploaded (a test hook)',
    ),
  })
  .superRefine((c, ctx) => {
    if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI')
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'the client secret of MicrosoftAppId' });
    if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId)
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'the tenant id (SingleTenant bot)' });
    // Draft links carry the closed part of the minutes: outside local mode they travel over TLS only.
    if (c.PUBLIC_URL && c.MicrosoftAppId && !c.PUBLIC_URL.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'an https URL when the bot has credentials' });
    // The closed part needs a place of its own, which an administrator can restrict.
    const folderKey = (v: string) => v.replace(/^[\s/]+|[\s/]+$/g, '').toLowerCase();
    if (folderKey(c.SHAREPOINT_CLOSED_FOLDER) === folderKey(c.SHAREPOINT_FOLDER))
      ctx.addIssue({ code: 'custom', path: ['SHAREPOINT_CLOSED_FOLDER'], message: 'another folder than SHAREPOINT_FOLDER' });
    for (const name of ['SHAREPOINT_CLOSED_DECISIONS_LIST_ID', 'SHAREPOINT_CLOSED_ACTIONS_LIST_ID'] as const) {
      const id = c[name];
      if (id && (id === c.SHAREPOINT_DECISIONS_LIST_ID || id === c.SHAREPOINT_ACTIONS_LIST_ID))
        ctx.addIssue({ code: 'custom', path: [name], message: 'a list of its own, not one of the public lists' });
    }
    if (c.MINUTES_CLOSED_DIR && resolve(c.MINUTES_CLOSED_DIR) === resolve(c.MINUTES_DIR ?? `${c.DATA_DIR}/minutes`))
      ctx.addIssue({ code: 'custom', path: ['MINUTES_CLOSED_DIR'], message: 'another folder than MINUTES_DIR' });
    if (c.SHAREPOINT_SITE_ID) {
      for (const [name, fallback] of [
        ['GRAPH_TENANT_ID', 'MicrosoftAppTenantId'],
        ['GRAPH_CLIENT_ID', 'MicrosoftAppId'],
        ['GRAPH_CLIENT_SECRET', 'MicrosoftAppPassword'],
      ] as const) {
        if (!c[name] && !c[fallback])
          ctx.addIssue({ code: 'custom', path: [name], message: `set (or ${fallback}) when SHAREPOINT_SITE_ID is set` });
      }
    }
  });

export interface Config {
  port: number;
  host: string;
  /** No credentials: tokens are not checked, and the server listens on loopback unless HOST says otherwise. */
  localMode: boolean;
  /**
   * Where users' browsers reach the bot (for links to full drafts). Without it, a local bot links to
   * its own loopback address and a deployed one offers no links.
   */
  publicUrl?: string;
  bot: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    /** OpenID metadata of incoming tokens; Microsoft's when absent. */
    channelOpenIdMetadataUrl?: string;
    emulatorOpenIdMetadataUrl?: string;
  };
  dataDir: string;
  databaseUrl?: string;
  minutesDir: string;
  /** Where the folder publisher writes the closed part (MINUTES_CLOSED_DIR; default `<minutesDir>/besloten`). */
  minutesClosedDir: string;
  /** MINUTES_PDF=1: a PDF/A copy beside each published .docx, made with LibreOffice (`soffice` on PATH, checked at start). */
  minutesPdf: boolean;
  /** The deployment's house style: MINUTES_BODY, MINUTES_HEADER_LINE, and the logo file MINUTES_LOGO (read at start). */
  house: { body?: string; line?: string; logoFile?: string; logosDir?: string };
  sharePoint?: {
    siteId: string;
    driveId?: string;
    folder: string;
    decisionsListId?: string;
    actionsListId?: string;
    /** The library folder for the closed documents (SHAREPOINT_CLOSED_FOLDER). */
    closedFolder: string;
    /** Lists for closed decisions and actions; without them nothing closed goes to any list. */
    closedDecisionsListId?: string;
    closedActionsListId?: string;
  };
  graph: { tenantId?: string; clientId?: string; clientSecret?: string; baseUrl: string; authorityHost: string; scope: string };
  logLevel: string;
  /** Test hooks, inert unless a test sets them. */
  testHooks: { pauseAfterTempFile?: 'openbaar' | 'besloten'; pausePublishAt?: 'begun' | 'uploaded' };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    // Secrets (and a connection URL holding a password) are never echoed back.
    const given = /PASSWORD|SECRET|DATABASE_URL/i.test(name) ? undefined : env[name];
    throw new ConfigError(`Configuration: ${name} must be ${issue.message}${given !== undefined ? ` (got "${given}")` : ''}`);
  }
  const c = parsed.data;
  const localMode = !c.MicrosoftAppId;
  const dataDir = c.DATA_DIR;
  const minutesDir = c.MINUTES_DIR ?? `${dataDir.replace(/\/+$/, '')}/minutes`;
  return {
    port: c.PORT,
    host: c.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    localMode,
    publicUrl: c.PUBLIC_URL,
    bot: {
      appId: c.MicrosoftAppId,
      appPassword: c.MicrosoftAppPassword,
      tenantId: c.MicrosoftAppTenantId,
      appType: c.MicrosoftAppType ?? (c.MicrosoftAppTenantId ? 'SingleTenant' : 'MultiTenant'),
      channelOpenIdMetadataUrl: c.ToBotFromChannelOpenIdMetadataUrl,
      emulatorOpenIdMetadataUrl: c.ToBotFromEmulatorOpenIdMetadataUrl,
    },
    dataDir,
    databaseUrl: c.DATABASE_URL,
    minutesDir,
    minutesClosedDir: c.MINUTES_CLOSED_DIR ?? `${minutesDir.replace(/\/+$/, '')}/besloten`,
    minutesPdf: c.MINUTES_PDF,
    house: { body: c.MINUTES_BODY, line: c.MINUTES_HEADER_LINE, logoFile: c.MINUTES_LOGO, logosDir: c.MINUTES_LOGOS },
    sharePoint: c.SHAREPOINT_SITE_ID
      ? {
          siteId: c.SHAREPOINT_SITE_ID,
          driveId: c.SHAREPOINT_DRIVE_ID,
          folder: c.SHAREPOINT_FOLDER,
          decisionsListId: c.SHAREPOINT_DECISIONS_LIST_ID,
          actionsListId: c.SHAREPOINT_ACTIONS_LIST_ID,
          closedFolder: c.SHAREPOINT_CLOSED_FOLDER,
          closedDecisionsListId: c.SHAREPOINT_CLOSED_DECISIONS_LIST_ID,
          closedActionsListId: c.SHAREPOINT_CLOSED_ACTIONS_LIST_ID,
        }
      : undefined,
    graph: {
      tenantId: c.GRAPH_TENANT_ID ?? c.MicrosoftAppTenantId,
      clientId: c.GRAPH_CLIENT_ID ?? c.MicrosoftAppId,
      clientSecret: c.GRAPH_CLIENT_SECRET ?? c.MicrosoftAppPassword,
      baseUrl: c.GRAPH_BASE_URL,
      authorityHost: c.GRAPH_AUTHORITY_HOST,
      // The token must be for the Graph we call: a national cloud or a stand-in has its own resource.
      scope: c.GRAPH_SCOPE ?? `${new URL(c.GRAPH_BASE_URL).origin}/.default`,
    },
    logLevel: c.LOG_LEVEL,
    testHooks: {
      pauseAfterTempFile: c.NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE as 'openbaar' | 'besloten' | undefined,
      pausePublishAt: c.NOTULIST_TEST_HOOK_PAUSE_PUBLISH as 'begun' | 'uploaded' | undefined,
    },
  };
}
