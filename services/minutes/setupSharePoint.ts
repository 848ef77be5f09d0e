// `npm run setup:sharepoint`: prepares a SharePoint site for the SharePoint publisher, and can be run
// again at any time (it only adds what is missing):
//   - the library columns (Vergadering, Vergaderdatum, Status, Openbaarheid, AantalBesluiten, VergaderingId)
//     on the document library the minutes go to;
//   - the lists "Notulist besluiten" and "Notulist acties" with their columns (Sleutel indexed and unique);
//   - the closed part's places: the lists "Notulist besluiten (besloten)" and "Notulist acties (besloten)"
//     and the library folder SHAREPOINT_CLOSED_FOLDER (default "Besloten"), made before anything closed is
//     published so that an administrator can restrict them to the chair and the secretary first (break
//     their permission inheritance and grant only those two; see the README).
// A library or list set up by an older version gets the columns it lacks (e.g. VergaderingId, or
// Openbaarheid on the actions list); the publisher fails on a field it cannot set, so run this after
// every upgrade that adds one.
// It prints the four list ids for SHAREPOINT_DECISIONS_LIST_ID / SHAREPOINT_ACTIONS_LIST_ID /
// SHAREPOINT_CLOSED_DECISIONS_LIST_ID / SHAREPOINT_CLOSED_ACTIONS_LIST_ID.
//
// Graph application permissions (app-only, admin consent):
//   - Preferred: Sites.Selected, with this app granted on the one site by an admin:
//       POST /sites/{site-id}/permissions
//       { "roles": ["write"], "grantedToIdentities": [{ "application": { "id": "<client id>", "displayName": "Notulist" } }] }
//     "write" is enough to publish (files, library fields, list items). Running this setup (creating lists
//     and columns) needs "manage" (or "fullcontrol") on the site; an admin can grant that for the setup
//     and lower it to "write" afterwards (PATCH /sites/{site-id}/permissions/{permission-id}).
//   - Otherwise: Sites.ReadWrite.All to publish, plus Sites.Manage.All to create lists and columns.
//
// Environment: SHAREPOINT_SITE_ID (required), SHAREPOINT_DRIVE_ID (default: the site's default library),
// GRAPH_TENANT_ID / GRAPH_CLIENT_ID / GRAPH_CLIENT_SECRET (falling back to MicrosoftAppTenantId /
// MicrosoftAppId / MicrosoftAppPassword), GRAPH_BASE_URL, GRAPH_AUTHORITY_HOST, GRAPH_SCOPE.
import fs from 'node:fs';
import type { Client } from '@microsoft/microsoft-graph-client';
import { ConfigError, loadConfig } from '../config';
import { safeName } from './driveItems';
import { createGraphClient } from './graph';
import { graphApi, PublishError, withRetries } from './graphRetries';
import {
  ACTION_COLUMNS,
  ACTIONS_LIST_NAME,
  CLOSED_ACTIONS_LIST_NAME,
  CLOSED_DECISIONS_LIST_NAME,
  ColumnSpec,
  DECISION_COLUMNS,
  DECISIONS_LIST_NAME,
  LIBRARY_COLUMNS,
  columnDefinition,
} from './sharePointColumns';

export interface SetupResult {
  driveId: string;
  libraryListId: string;
  decisionsListId: string;
  actionsListId: string;
  closedDecisionsListId: string;
  closedActionsListId: string;
  /** The closed folder's id and web address, to restrict it. */
  closedFolderId: string;
  closedFolderUrl?: string;
  /** What this run created, e.g. "list Notulist acties", "column Vergadering on Documenten", "folder Besloten". */
  created: string[];
}

export async function setupSharePoint(
  client: Client,
  siteId: string,
  driveId?: string,
  report: (line: string) => void = () => undefined,
  /** SHAREPOINT_CLOSED_FOLDER. */
  closedFolder = 'Besloten',
): Promise<SetupResult> {
  const site = `/sites/${encodeURIComponent(siteId)}`;
  const created: string[] = [];
  const get = (step: string, path: string, query?: Record<string, string>): Promise<unknown> =>
    withRetries<unknown>(step, { idempotent: true }, () => {
      const request = graphApi(client, path);
      return (query ? request.query(query) : request).get();
    });

  const drive = driveId ?? stringField(await get('finding the site’s document library', `${site}/drive`), 'id');
  const library = await get('finding the library’s list', `/drives/${encodeURIComponent(drive)}/list`);
  const libraryListId = stringField(library, 'id');
  const libraryName = optionalString(library, 'displayName') ?? 'the document library';

  const ensureColumns = async (listId: string, listName: string, specs: readonly ColumnSpec[]): Promise<void> => {
    const path = `${site}/lists/${encodeURIComponent(listId)}/columns`;
    const existing = new Set(
      arrayField(await get(`reading the columns of ${listName}`, path), 'value')
        .map((c) => optionalString(c, 'name')?.toLowerCase())
        .filter((name): name is string => name !== undefined),
    );
    for (const spec of specs) {
      if (existing.has(spec.name.toLowerCase())) continue;
      const step = `adding column ${spec.name} to ${listName}`;
      try {
        // A repeat of a create whose answer was lost fails with 409: then the column is there.
        await withRetries<unknown>(step, { idempotent: true }, () => graphApi(client, path).post(columnDefinition(spec)));
      } catch (err) {
        if (!(err instanceof PublishError) || err.status !== 409) throw err;
      }
      created.push(`column ${spec.name} on ${listName}`);
      report(`created column ${spec.name} on ${listName}`);
    }
  };

  const findList = async (name: string): Promise<string | undefined> => {
    const filter = `displayName eq '${name.replace(/'/g, "''")}'`;
    const found = await get(`looking up list ${name}`, `${site}/lists`, { $filter: encodeURIComponent(filter) });
    const match = arrayField(found, 'value').find((l) => optionalString(l, 'displayName') === name);
    return match === undefined ? undefined : stringField(match, 'id');
  };

  const ensureList = async (name: string, specs: readonly ColumnSpec[]): Promise<string> => {
    let id = await findList(name);
    if (!id) {
      const step = `creating list ${name}`;
      try {
        const list = await withRetries<unknown>(step, { idempotent: false, onLostAnswer: () => findList(name) }, () =>
          graphApi(client, `${site}/lists`).post({
            displayName: name,
            columns: specs.map(columnDefinition),
            list: { template: 'genericList' },
          }),
        );
        id = typeof list === 'string' ? list : stringField(list, 'id');
      } catch (err) {
        if (!(err instanceof PublishError) || err.status !== 409) throw err;
        id = await findList(name);
        if (!id) throw err;
      }
      created.push(`list ${name}`);
      report(`created list ${name}`);
    }
    // Also for an existing list: a list from an older version may lack a column.
    await ensureColumns(id, name, specs);
    return id;
  };

  /** The folder at `path` from the library's root, created (segment by segment) when missing. */
  const ensureFolder = async (path: string): Promise<{ id: string; webUrl?: string }> => {
    let parent = `/drives/${encodeURIComponent(drive)}/root`;
    let item: unknown;
    const segments = path.split('/').map(safeName).filter(Boolean);
    for (const [i, segment] of segments.entries()) {
      const sofar = segments.slice(0, i + 1).join('/');
      const lookup = () => graphApi(client, `${parent}:/${encodeURIComponent(segment)}`).get();
      try {
        item = await withRetries<unknown>(`looking up folder ${sofar}`, { idempotent: true }, lookup);
      } catch (err) {
        if (!(err instanceof PublishError) || err.status !== 404) throw err;
        try {
          // "fail": a repeat of a create whose answer was lost answers 409, and the folder is there.
          item = await withRetries<unknown>(`creating folder ${sofar}`, { idempotent: true }, () =>
            graphApi(client, `${parent}/children`).post({ name: segment, folder: {}, '@microsoft.graph.conflictBehavior': 'fail' }),
          );
          created.push(`folder ${sofar}`);
          report(`created folder ${sofar}`);
        } catch (createErr) {
          if (!(createErr instanceof PublishError) || createErr.status !== 409) throw createErr;
          item = await withRetries<unknown>(`looking up folder ${sofar}`, { idempotent: true }, lookup);
        }
      }
      parent = `/drives/${encodeURIComponent(drive)}/items/${encodeURIComponent(stringField(item, 'id'))}`;
    }
    return { id: stringField(item, 'id'), webUrl: optionalString(item, 'webUrl') };
  };

  await ensureColumns(libraryListId, libraryName, LIBRARY_COLUMNS);
  const decisionsListId = await ensureList(DECISIONS_LIST_NAME, DECISION_COLUMNS);
  const actionsListId = await ensureList(ACTIONS_LIST_NAME, ACTION_COLUMNS);
  const closedDecisionsListId = await ensureList(CLOSED_DECISIONS_LIST_NAME, DECISION_COLUMNS);
  const closedActionsListId = await ensureList(CLOSED_ACTIONS_LIST_NAME, ACTION_COLUMNS);
  const closed = await ensureFolder(closedFolder);
  return {
    driveId: drive,
    libraryListId,
    decisionsListId,
    actionsListId,
    closedDecisionsListId,
    closedActionsListId,
    closedFolderId: closed.id,
    closedFolderUrl: closed.webUrl,
    created,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, field: string): string | undefined {
  const v = isRecord(value) ? value[field] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function stringField(value: unknown, field: string): string {
  const v = optionalString(value, field);
  if (!v) throw new Error(`Graph answered without ${field}`);
  return v;
}

function arrayField(value: unknown, field: string): unknown[] {
  const v = isRecord(value) ? value[field] : undefined;
  return Array.isArray(v) ? v : [];
}

async function main(): Promise<void> {
  // Same .env and the same validation as the bot, without overriding what the shell set.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`setup:sharepoint: ${err.message}`);
    process.exitCode = 2;
    return;
  }
  if (!config.sharePoint) {
    console.error('setup:sharepoint: set SHAREPOINT_SITE_ID (the site to set up) and the Graph credentials');
    process.exitCode = 2;
    return;
  }
  const { siteId, driveId, closedFolder } = config.sharePoint;
  const g = config.graph;
  // loadConfig has checked that these are set whenever SHAREPOINT_SITE_ID is.
  const client = createGraphClient({ ...g, tenantId: g.tenantId!, clientId: g.clientId!, clientSecret: g.clientSecret! });
  const result = await setupSharePoint(client, siteId, driveId, (line) => console.error(line), closedFolder);
  if (result.created.length === 0) console.error('Nothing to create: the site was already set up.');
  console.error(
    `Restrict the closed part to the chair and the secretary before publishing: break the permission inheritance of the folder ${closedFolder}${result.closedFolderUrl ? ` (${result.closedFolderUrl})` : ''} and of the lists "${CLOSED_DECISIONS_LIST_NAME}" and "${CLOSED_ACTIONS_LIST_NAME}", and grant only them (see the README).`,
  );
  console.log(`SHAREPOINT_DRIVE_ID=${result.driveId}`);
  console.log(`SHAREPOINT_DECISIONS_LIST_ID=${result.decisionsListId}`);
  console.log(`SHAREPOINT_ACTIONS_LIST_ID=${result.actionsListId}`);
  console.log(`SHAREPOINT_CLOSED_FOLDER=${closedFolder}`);
  console.log(`SHAREPOINT_CLOSED_DECISIONS_LIST_ID=${result.closedDecisionsListId}`);
  console.log(`SHAREPOINT_CLOSED_ACTIONS_LIST_ID=${result.closedActionsListId}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`setup:sharepoint failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
