// Publishes minutes to a SharePoint document library through Microsoft Graph, and the decisions and
// actions to two SharePoint lists. Every write is safe to repeat: files are replaced by name (a new
// version), list items are found by their key (Sleutel) before one is created, and an answer lost on
// the way back is reconciled by looking the write up instead of blindly sending it again.
//
// Each meeting gets a folder of its own, "<date> <body>". Two chats can hold a meeting with the same
// title on the same day, so a folder that holds another meeting's files (their VergaderingId says so)
// is left alone and "<date> <body> (2)", "(3)", … is used instead. The folder's id is kept in `remote`,
// so a republish goes straight back to it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, GraphError, GraphRequest, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { Outcome } from '../meeting/types';
import { renewGraphToken } from './graph';
import {
  PartlyPublished,
  type MinutesFile,
  type MinutesPackage,
  type MinutesPublisher,
  type PublishResult,
  type PublishedAction,
  type PublishedDecision,
} from './publisher';

// ---------------------------------------------------------------------------------------------------
// Column names (internal names) and definitions: the one place shared by the publisher and the setup.

export const DECISIONS_LIST_NAME = 'Notulist besluiten';
export const ACTIONS_LIST_NAME = 'Notulist acties';

export const LIBRARY_FIELDS = {
  meeting: 'Vergadering',
  meetingDate: 'Vergaderdatum',
  status: 'Status',
  publicity: 'Openbaarheid',
  decisionCount: 'AantalBesluiten',
  /** The meeting a file belongs to: tells whose a meeting folder is. */
  meetingId: 'VergaderingId',
} as const;

/** The unique key column of both lists. */
export const KEY_FIELD = 'Sleutel';

export const DECISION_FIELDS = {
  title: 'Title',
  key: KEY_FIELD,
  text: 'Besluit',
  outcome: 'Uitkomst',
  itemCode: 'Agendapunt',
  itemTitle: 'Onderwerp',
  meeting: 'Vergadering',
  meetingDate: 'Vergaderdatum',
  publicity: 'Openbaarheid',
} as const;

export const ACTION_FIELDS = {
  title: 'Title',
  key: KEY_FIELD,
  text: 'Actie',
  owner: 'Actiehouder',
  due: 'Streefdatum',
  status: 'Status',
  itemCode: 'Agendapunt',
  meeting: 'Vergadering',
  meetingDate: 'Vergaderdatum',
  publicity: 'Openbaarheid',
} as const;

/** The key in PublishResult.remote under which the meeting's folder id is kept. */
export const FOLDER_REMOTE_KEY = 'folder';

export interface ColumnSpec {
  name: string;
  displayName: string;
  type: 'text' | 'note' | 'date' | 'number' | 'choice';
  choices?: readonly string[];
  /** Indexed and unique: the key that makes a create safe to repeat (SharePoint rejects a second one). */
  uniqueKey?: boolean;
}

const MINUTES_STATUS = ['concept', 'vastgesteld'] as const;
const PUBLICITY = ['openbaar', 'besloten'] as const;
const ACTION_STATUS = ['open', 'gereed'] as const;

export const LIBRARY_COLUMNS: readonly ColumnSpec[] = [
  { name: LIBRARY_FIELDS.meeting, displayName: 'Vergadering', type: 'text' },
  { name: LIBRARY_FIELDS.meetingDate, displayName: 'Vergaderdatum', type: 'date' },
  { name: LIBRARY_FIELDS.status, displayName: 'Status', type: 'choice', choices: MINUTES_STATUS },
  { name: LIBRARY_FIELDS.publicity, displayName: 'Openbaarheid', type: 'choice', choices: PUBLICITY },
  { name: LIBRARY_FIELDS.decisionCount, displayName: 'Aantal besluiten', type: 'number' },
  { name: LIBRARY_FIELDS.meetingId, displayName: 'Vergadering-id', type: 'text' },
];

export const DECISION_COLUMNS: readonly ColumnSpec[] = [
  { name: DECISION_FIELDS.key, displayName: 'Sleutel', type: 'text', uniqueKey: true },
  { name: DECISION_FIELDS.text, displayName: 'Besluit', type: 'note' },
  { name: DECISION_FIELDS.outcome, displayName: 'Uitkomst', type: 'text' },
  { name: DECISION_FIELDS.itemCode, displayName: 'Agendapunt', type: 'text' },
  { name: DECISION_FIELDS.itemTitle, displayName: 'Onderwerp', type: 'text' },
  { name: DECISION_FIELDS.meeting, displayName: 'Vergadering', type: 'text' },
  { name: DECISION_FIELDS.meetingDate, displayName: 'Vergaderdatum', type: 'date' },
  { name: DECISION_FIELDS.publicity, displayName: 'Openbaarheid', type: 'choice', choices: PUBLICITY },
];

export const ACTION_COLUMNS: readonly ColumnSpec[] = [
  { name: ACTION_FIELDS.key, displayName: 'Sleutel', type: 'text', uniqueKey: true },
  { name: ACTION_FIELDS.text, displayName: 'Actie', type: 'note' },
  { name: ACTION_FIELDS.owner, displayName: 'Actiehouder', type: 'text' },
  { name: ACTION_FIELDS.due, displayName: 'Streefdatum', type: 'date' },
  { name: ACTION_FIELDS.status, displayName: 'Status', type: 'choice', choices: ACTION_STATUS },
  { name: ACTION_FIELDS.itemCode, displayName: 'Agendapunt', type: 'text' },
  { name: ACTION_FIELDS.meeting, displayName: 'Vergadering', type: 'text' },
  { name: ACTION_FIELDS.meetingDate, displayName: 'Vergaderdatum', type: 'date' },
  { name: ACTION_FIELDS.publicity, displayName: 'Openbaarheid', type: 'choice', choices: PUBLICITY },
];

/** The Graph columnDefinition body for a column. */
export function columnDefinition(spec: ColumnSpec): Record<string, unknown> {
  const base: Record<string, unknown> = { name: spec.name, displayName: spec.displayName };
  if (spec.uniqueKey) Object.assign(base, { indexed: true, enforceUniqueValues: true });
  switch (spec.type) {
    case 'text':
      return { ...base, text: { allowMultipleLines: false, maxLength: 255 } };
    case 'note':
      return { ...base, text: { allowMultipleLines: true, textType: 'plain', linesForEditing: 6 } };
    case 'date':
      return { ...base, dateTime: { format: 'dateOnly', displayAs: 'standard' } };
    case 'number':
      return { ...base, number: { decimalPlaces: 'none' } };
    case 'choice':
      return {
        ...base,
        choice: { choices: [...(spec.choices ?? [])], allowTextEntry: false, displayAs: 'dropDownMenu' },
      };
  }
}

// Dutch labels for the list; the list is read by people, not by the bot.
const OUTCOME_LABELS: Record<Outcome, string> = {
  agreed: 'conform',
  agreedWithChanges: 'gewijzigd vastgesteld',
  deferred: 'aangehouden',
  rejected: 'verworpen',
  adopted: 'vastgesteld',
  noted: 'voor kennisgeving aangenomen',
};

// ---------------------------------------------------------------------------------------------------

export interface PublisherLog {
  info(data: Record<string, unknown>, msg: string): void;
  warn(data: Record<string, unknown>, msg: string): void;
}

export interface RetrySettings {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /**
   * The longest single wait. A Retry-After up to this is waited in full (never cut short: asking again
   * early only prolongs the throttling); one asking for more fails the step at once. Also caps the back-off.
   */
  maxDelaySeconds: number;
  /**
   * All waits of one publish together (of one withRetries call when it is used alone): a wait that would
   * go past this fails the step at once, so a throttled publish ends well before it counts as interrupted.
   */
  maxTotalDelaySeconds: number;
  /** First back-off when the answer carries no Retry-After (doubles per attempt). */
  baseDelayMs: number;
}

export interface SharePointPublisherOptions {
  client: Client;
  siteId: string;
  /** The document library's drive; the site's default library when absent. */
  driveId?: string;
  /** Folder (path) in the library under which each meeting gets "<yyyy-mm-dd> <body>" (or "… (2)", …). */
  folder?: string;
  decisionsListId?: string;
  actionsListId?: string;
  /** Files up to this size go in one PUT; larger ones through an upload session. Default 4 MiB. */
  simpleUploadLimit?: number;
  /** Upload-session fragment size, a multiple of 320 KiB. Default 3.2 MiB. */
  uploadFragmentSize?: number;
  retry?: Partial<RetrySettings>;
  log?: PublisherLog;
}

/** A publish step that failed for good; the message names the step. */
export class PublishError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly status?: number,
    readonly lostAnswer = false,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

const FRAGMENT_UNIT = 320 * 1024;
const DEFAULT_SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
const DEFAULT_FRAGMENT_SIZE = 10 * FRAGMENT_UNIT;
// A fragment that hangs this long is treated like a dropped connection (the Graph client sets no timeout either).
const FRAGMENT_TIMEOUT_MS = 5 * 60_000;
const RETRYABLE_STATUS = new Set([429, 503, 504]);
// Our own loop is the only retry policy: the client's RetryHandler would nest its retries inside ours
// (and it skips octet-stream bodies anyway).
const NO_CLIENT_RETRY = new RetryHandlerOptions(0, 0);
// Filtering on a column needs it indexed; the header makes small unindexed lists work as well.
const PREFER_NON_INDEXED = 'HonorNonIndexedQueriesWarningMayFailRandomly';
/** "(2)" … "(100)": far more meetings with one title on one day than any site has. */
const MAX_MEETING_FOLDERS = 100;

interface Failure {
  status?: number;
  retryAfterSeconds?: number;
  network: boolean;
  message: string;
}

interface DriveItem {
  id: string;
  name: string;
  webUrl: string;
  size?: number;
  quickXorHash?: string;
  isFolder: boolean;
  parentId?: string;
}

export class SharePointMinutesPublisher implements MinutesPublisher {
  readonly kind = 'sharepoint';
  private readonly client: Client;
  private readonly siteId: string;
  private readonly folder: string[];
  private readonly simpleUploadLimit: number;
  private readonly fragmentSize: number;
  private readonly retrySettings: RetrySettings;
  private drive?: Promise<string>;
  private readonly folderIds = new Map<string, string>();

  constructor(private readonly opts: SharePointPublisherOptions) {
    if (!opts.siteId) throw new Error('SharePoint publisher: siteId is missing');
    this.client = opts.client;
    this.siteId = opts.siteId;
    this.folder = (opts.folder ?? 'Besluitenlijsten').split('/').map(safeName).filter(Boolean);
    this.simpleUploadLimit = opts.simpleUploadLimit ?? DEFAULT_SIMPLE_UPLOAD_LIMIT;
    this.fragmentSize = opts.uploadFragmentSize ?? DEFAULT_FRAGMENT_SIZE;
    if (this.fragmentSize <= 0 || this.fragmentSize % FRAGMENT_UNIT !== 0 || this.fragmentSize > 60 * 1024 * 1024) {
      throw new Error('SharePoint publisher: uploadFragmentSize must be a multiple of 320 KiB, at most 60 MiB');
    }
    this.retrySettings = { ...DEFAULT_RETRY, ...opts.retry };
  }

  async publish(pkg: MinutesPackage, previous?: Record<string, string>): Promise<PublishResult> {
    const remote: Record<string, string> = {};
    try {
      // One waiting budget for all the publish's steps (see RetrySettings.maxTotalDelaySeconds).
      return await publishBudget.run({ waitedMs: 0 }, () => this.write(pkg, previous, remote));
    } catch (err) {
      // A folder deleted in SharePoint since it was cached would fail every later publish: look up again.
      this.folderIds.clear();
      if (Object.keys(remote).length === 0) throw err;
      throw new PartlyPublished(err instanceof Error ? err.message : String(err), { ...previous, ...remote });
    }
  }

  /** Writes the package; `remote` gathers the ids of what is written, also when a later step fails. */
  private async write(
    pkg: MinutesPackage,
    previous: Record<string, string> | undefined,
    remote: Record<string, string>,
  ): Promise<PublishResult> {
    const driveId = await this.driveId();
    const folderId = await this.meetingFolder(driveId, pkg, previous?.[FOLDER_REMOTE_KEY]);
    remote[FOLDER_REMOTE_KEY] = folderId;

    const files: PublishResult['files'] = [];
    for (const file of pkg.files) {
      const item = await this.uploadFile(driveId, folderId, file);
      await this.send<unknown>(`setting the library fields of ${item.name}`, { idempotent: true }, () =>
        this.api(`/drives/${enc(driveId)}/items/${enc(item.id)}/listItem/fields`).patch(libraryFields(pkg, file)),
      );
      files.push({ name: item.name, url: item.webUrl });
      remote[`file:${file.name}`] = item.id;
    }

    if (this.opts.decisionsListId) {
      for (const decision of pkg.decisions) {
        const key = `decision:${decision.key}`;
        remote[key] = await this.upsertListItem(
          this.opts.decisionsListId,
          `decision ${decision.key}`,
          decisionFields(pkg, decision),
          previous?.[key],
        );
      }
    }
    if (this.opts.actionsListId) {
      for (const action of pkg.actions) {
        const key = `action:${action.key}`;
        remote[key] = await this.upsertListItem(
          this.opts.actionsListId,
          `action ${action.label}`,
          actionFields(pkg, action),
          previous?.[key],
        );
      }
    }

    await this.removeStale(driveId, previous, remote);
    return { files, remote };
  }

  // -- drive and folders ------------------------------------------------------------------------------

  private driveId(): Promise<string> {
    if (this.opts.driveId) return Promise.resolve(this.opts.driveId);
    this.drive ??= this.send<unknown>('finding the site’s document library', { idempotent: true }, () =>
      this.api(`/sites/${enc(this.siteId)}/drive`).get(),
    ).then((drive) => requireString(drive, 'id', 'drive'));
    // A failed look-up must not stick: the next publish tries again.
    this.drive.catch(() => (this.drive = undefined));
    return this.drive;
  }

  /** The folders above the meetings' folders (SHAREPOINT_FOLDER), created when missing; cached by path. */
  private async ensureFolder(driveId: string, segments: string[]): Promise<string> {
    let parentId = 'root';
    let path = '';
    for (const segment of segments) {
      path = path ? `${path}/${segment}` : segment;
      const cacheKey = `${driveId}/${path}`;
      let id = this.folderIds.get(cacheKey);
      if (!id) {
        const existing = await this.itemByPath(driveId, parentId, segment, `looking up folder ${path}`);
        id = existing?.id ?? (await this.createFolder(driveId, parentId, segment, path)).item.id;
        this.folderIds.set(cacheKey, id);
      }
      parentId = id;
    }
    return parentId;
  }

  /**
   * The meeting's own folder: the one an earlier publish of this meeting used (`rememberedId`), else the
   * first of "<date> <body>", "… (2)", … that is new, empty, or holds no other meeting's files.
   */
  private async meetingFolder(driveId: string, pkg: MinutesPackage, rememberedId: string | undefined): Promise<string> {
    const parentId = await this.ensureFolder(driveId, this.folder);
    const base = safeName(`${pkg.meetingDate} ${pkg.body}`);
    if (rememberedId) {
      const item = await this.itemById(driveId, rememberedId, 'looking up the meeting’s folder');
      // Deleted (404), moved away from where the minutes go, or named for a title or date the meeting no
      // longer has: found or made again as on a first publish.
      const inPlace = item?.isFolder && (parentId === 'root' || item.parentId === parentId);
      if (item && inPlace && isMeetingFolderName(item.name, base)) return item.id;
    }
    for (let n = 1; n <= MAX_MEETING_FOLDERS; n++) {
      const name = n === 1 ? base : `${base} (${n})`;
      const path = [...this.folder, name].join('/');
      let item = await this.itemByPath(driveId, parentId, name, `looking up folder ${path}`);
      if (!item) {
        const made = await this.createFolder(driveId, parentId, name, path);
        if (made.created) return made.item.id;
        // 409: made by a publish racing this one, or by this one's own create whose answer was lost.
        item = made.item;
      }
      if (item.isFolder && (await this.folderIsFree(driveId, item.id, pkg.meetingId, path))) return item.id;
    }
    const step = `finding a folder for ${base}`;
    throw new PublishError(step, `${step} failed: "${base}" up to "(${MAX_MEETING_FOLDERS})" all hold other meetings`);
  }

  /**
   * Whether no file in the folder belongs to another meeting. A file without a VergaderingId (from an
   * older version, or a publish that stopped before setting the fields) claims nothing.
   */
  private async folderIsFree(driveId: string, folderId: string, meetingId: string, path: string): Promise<boolean> {
    const step = `checking whose folder ${path} is`;
    let page = await this.send<unknown>(step, { idempotent: true }, () =>
      this.api(`/drives/${enc(driveId)}/items/${enc(folderId)}/children`)
        .query({ $expand: 'listItem($expand=fields)' })
        .get(),
    );
    for (;;) {
      for (const child of arrayOf(page, 'value')) {
        if (!isRecord(child) || !isRecord(child.file)) continue;
        const fields = isRecord(child.listItem) && isRecord(child.listItem.fields) ? child.listItem.fields : {};
        const owner = fields[LIBRARY_FIELDS.meetingId];
        if (typeof owner === 'string' && owner !== '' && owner !== meetingId) return false;
      }
      // Graph pages long listings (200 items by default): the next page's full URL.
      const next = isRecord(page) ? page['@odata.nextLink'] : undefined;
      if (typeof next !== 'string') return true;
      page = await this.send<unknown>(step, { idempotent: true }, () => this.api(next).get());
    }
  }

  private async createFolder(
    driveId: string,
    parentId: string,
    name: string,
    path: string,
  ): Promise<{ item: DriveItem; created: boolean }> {
    const step = `creating folder ${path}`;
    try {
      // "fail" rather than "replace": replacing a folder is not supported (and would drop its content).
      // A repeated create then answers 409 and the folder is looked up.
      const created = await this.send<unknown>(step, { idempotent: true }, () =>
        this.api(`/drives/${enc(driveId)}/items/${enc(parentId)}/children`).post({
          name,
          folder: {},
          '@microsoft.graph.conflictBehavior': 'fail',
        }),
      );
      return { item: toDriveItem(created), created: true };
    } catch (err) {
      if (!(err instanceof PublishError) || err.status !== 409) throw err;
      const existing = await this.itemByPath(driveId, parentId, name, step);
      if (!existing) throw err;
      return { item: existing, created: false };
    }
  }

  private async itemById(driveId: string, id: string, step: string): Promise<DriveItem | undefined> {
    try {
      return toDriveItem(
        await this.send<unknown>(step, { idempotent: true }, () => this.api(`/drives/${enc(driveId)}/items/${enc(id)}`).get()),
      );
    } catch (err) {
      if (err instanceof PublishError && err.status === 404) return undefined;
      throw err;
    }
  }

  private async itemByPath(driveId: string, parentId: string, relativePath: string, step: string): Promise<DriveItem | undefined> {
    const path = relativePath.split('/').map(enc).join('/');
    const base = parentId === 'root' ? `/drives/${enc(driveId)}/root` : `/drives/${enc(driveId)}/items/${enc(parentId)}`;
    try {
      return toDriveItem(await this.send<unknown>(step, { idempotent: true }, () => this.api(`${base}:/${path}`).get()));
    } catch (err) {
      if (err instanceof PublishError && err.status === 404) return undefined;
      throw err;
    }
  }

  // -- files --------------------------------------------------------------------------------------------

  private async uploadFile(driveId: string, folderId: string, file: MinutesFile): Promise<DriveItem> {
    const name = safeName(file.name);
    if (!name) throw new PublishError(`upload of ${file.name}`, `upload of "${file.name}" failed: empty file name`);
    const step = `upload of ${name}`;
    // After a lost answer the upload may have landed: the same bytes there means it did.
    const landed = async (): Promise<DriveItem | undefined> => {
      const item = await this.itemByPath(driveId, folderId, name, `${step} (checking after a lost answer)`);
      const ours = item && item.size === file.content.length && item.quickXorHash === quickXorHash(file.content);
      return ours ? item : undefined;
    };
    if (file.content.length <= this.simpleUploadLimit) {
      return this.send(step, { idempotent: true, onLostAnswer: landed }, async () =>
        toDriveItem(
          await this.api(`/drives/${enc(driveId)}/items/${enc(folderId)}:/${enc(name)}:/content`)
            .query({ '@microsoft.graph.conflictBehavior': 'replace' })
            .header('Content-Type', contentType(name))
            .put(file.content),
        ),
      );
    }
    return this.uploadInSession(driveId, folderId, name, file.content, landed);
  }

  private async uploadInSession(
    driveId: string,
    folderId: string,
    name: string,
    content: Buffer,
    landed: () => Promise<DriveItem | undefined>,
  ): Promise<DriveItem> {
    const step = `upload of ${name}`;
    // A session whose answer was lost just expires unused, so creating one is safe to repeat.
    const session = await this.send<unknown>(`${step} (creating the upload session)`, { idempotent: true }, () =>
      this.api(`/drives/${enc(driveId)}/items/${enc(folderId)}:/${enc(name)}:/createUploadSession`).post({
        item: { '@microsoft.graph.conflictBehavior': 'replace', name },
      }),
    );
    const uploadUrl = requireString(session, 'uploadUrl', 'upload session');
    if (new URL(uploadUrl).protocol !== 'https:') throw new PublishError(step, `${step} failed: upload URL is not https`);

    const total = content.length;
    let offset = 0;
    let attempt = 0;
    // Best effort: drop the half-uploaded bytes instead of leaving them until the session expires.
    const dropSession = () => fetch(uploadUrl, { method: 'DELETE' }).catch(() => undefined);
    const fail = async (message: string, status?: number): Promise<never> => {
      await dropSession();
      throw new PublishError(step, `${step} failed: ${message}`, status);
    };
    const nextTry = async (failure: Failure): Promise<void> => {
      attempt += 1;
      if (attempt >= this.retrySettings.maxAttempts) await fail(failure.message, failure.status);
      try {
        await this.pause(step, failure, attempt);
      } catch (err) {
        // Asked to wait longer than the bot does: given up like any other failure.
        await dropSession();
        throw err;
      }
    };

    for (;;) {
      const end = Math.min(offset + this.fragmentSize, total) - 1;
      let res: Response;
      try {
        // Upload URLs are pre-authenticated: no bearer token (plain fetch, not the Graph client).
        res = await fetch(uploadUrl, {
          method: 'PUT',
          headers: { 'Content-Range': `bytes ${offset}-${end}/${total}` },
          // A copy: the DOM typings want an ArrayBuffer-backed view, and a Buffer may share a pooled one.
          body: new Uint8Array(content.subarray(offset, end + 1)),
          signal: AbortSignal.timeout(FRAGMENT_TIMEOUT_MS),
        });
      } catch (err) {
        const failure = describeFailure(err);
        await nextTry(failure);
        const status = await this.sessionStatus(uploadUrl, step);
        if (status === 'gone') {
          const item = await landed();
          if (item) return item;
          await fail(`the upload session ended without the file (${failure.message})`);
        } else if (status !== undefined) offset = status;
        continue;
      }
      if (res.status === 202) {
        offset = firstExpectedOffset(await res.json().catch(() => undefined)) ?? end + 1;
        attempt = 0;
        continue;
      }
      if (res.status === 200 || res.status === 201) return toDriveItem(await res.json());
      const failure = await failureFromResponse(res, `fragment ${offset}-${end}`);
      if (RETRYABLE_STATUS.has(res.status)) {
        await nextTry(failure);
      } else if (res.status === 416) {
        // The service already has (part of) this range: ask where it wants to go on.
        await nextTry(failure);
        const status = await this.sessionStatus(uploadUrl, step);
        if (typeof status === 'number') offset = status;
        else if (status === 'gone') return (await landed()) ?? fail(failure.message, res.status);
      } else if (res.status === 404) {
        return (await landed()) ?? fail(`the upload session is gone (${failure.message})`, 404);
      } else {
        await fail(failure.message, res.status);
      }
    }
  }

  /** Where an upload session wants the next byte; 'gone' when it no longer exists (completed or expired). */
  private async sessionStatus(uploadUrl: string, step: string): Promise<number | 'gone' | undefined> {
    try {
      const res = await fetch(uploadUrl, { method: 'GET' });
      if (res.status === 404) return 'gone';
      if (!res.ok) return undefined;
      return firstExpectedOffset(await res.json());
    } catch (err) {
      this.opts.log?.warn({ step, error: describeFailure(err).message }, 'upload session status unavailable');
      return undefined;
    }
  }

  // -- list items -----------------------------------------------------------------------------------

  private async upsertListItem(
    listId: string,
    label: string,
    fields: Record<string, unknown>,
    knownId: string | undefined,
  ): Promise<string> {
    const step = `saving ${label}`;
    const items = `/sites/${enc(this.siteId)}/lists/${enc(listId)}/items`;
    const key = fields[KEY_FIELD];
    if (typeof key !== 'string') throw new Error(`${step}: no key`);
    const update = async (id: string): Promise<boolean> => {
      try {
        await this.send<unknown>(step, { idempotent: true }, () => this.api(`${items}/${enc(id)}/fields`).patch(fields));
        return true;
      } catch (err) {
        // Deleted by someone in SharePoint since the last publish: find or create it again.
        if (err instanceof PublishError && err.status === 404) return false;
        throw err;
      }
    };
    if (knownId && (await update(knownId))) return knownId;
    // Also without a known id: an earlier publish may have written it and not lived to return the id.
    const existing = await this.findListItem(listId, key, step);
    if (existing && (await update(existing))) return existing;

    try {
      return await this.send(step, { idempotent: false, onLostAnswer: () => this.findListItem(listId, key, step) }, async () =>
        requireString(await this.api(items).post({ fields: withoutEmpty(fields) }), 'id', 'list item'),
      );
    } catch (err) {
      // 409: the unique Sleutel column says it exists after all (a create that raced ours).
      if (!(err instanceof PublishError) || err.status !== 409) throw err;
      const raced = await this.findListItem(listId, key, step);
      if (!raced || !(await update(raced))) throw err;
      return raced;
    }
  }

  private async findListItem(listId: string, key: string, step: string): Promise<string | undefined> {
    const filter = `fields/${KEY_FIELD} eq '${key.replace(/'/g, "''")}'`;
    const found = await this.send<unknown>(`${step} (looking it up by key)`, { idempotent: true }, () =>
      this.api(`/sites/${enc(this.siteId)}/lists/${enc(listId)}/items`)
        .query({ $expand: 'fields', $filter: encodeURIComponent(filter) })
        .header('Prefer', PREFER_NON_INDEXED)
        .get(),
    );
    const ids = arrayOf(found, 'value')
      .map((item) => (isRecord(item) && typeof item.id === 'string' ? item.id : undefined))
      .filter((id): id is string => id !== undefined)
      .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
    if (ids.length > 1) this.opts.log?.warn({ listId, key, ids }, 'more than one list item with the same key');
    return ids[0];
  }

  /** What the previous publish of this meeting wrote and this one did not: the meeting's own files and decisions. */
  private async removeStale(driveId: string, previous: Record<string, string> | undefined, current: Record<string, string>): Promise<void> {
    for (const [key, id] of Object.entries(previous ?? {})) {
      if (key in current) continue;
      let path: string | undefined;
      if (key.startsWith('file:')) path = `/drives/${enc(driveId)}/items/${enc(id)}`;
      else if (key.startsWith('decision:') && this.opts.decisionsListId)
        path = `/sites/${enc(this.siteId)}/lists/${enc(this.opts.decisionsListId)}/items/${enc(id)}`;
      // Actions outlive the meeting (they carry over), so they are never removed here.
      if (!path) continue;
      const target = path;
      try {
        await this.send<unknown>(`removing ${key.replace(':', ' ')}`, { idempotent: true }, () => this.api(target).delete());
      } catch (err) {
        if (!(err instanceof PublishError) || err.status !== 404) throw err;
      }
    }
  }

  // -- requests -------------------------------------------------------------------------------------

  private api(path: string): GraphRequest {
    return graphApi(this.client, path);
  }

  private send<T>(step: string, how: RetryHow<T>, request: () => Promise<T>): Promise<T> {
    const renewToken = () => renewGraphToken(this.client);
    return withRetries(step, { renewToken, ...how }, request, this.retrySettings, this.opts.log, publishBudget.getStore());
  }

  private pause(step: string, failure: Failure, attempt: number): Promise<void> {
    return pauseBeforeRetry(step, failure, attempt, this.retrySettings, publishBudget.getStore() ?? { waitedMs: 0 }, this.opts.log);
  }
}

// ---------------------------------------------------------------------------------------------------
// Requests and retries (also used by the setup)

// SharePoint asks for up to 120 s when it throttles. Five minutes of waiting in all keeps a publish well
// within the ten minutes after which MinutesService takes it for interrupted.
export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 5, maxDelaySeconds: 120, maxTotalDelaySeconds: 300, baseDelayMs: 1000 };

/** What the retries have waited so far: of one publish (shared by its steps), or of one withRetries call. */
export interface RetryBudget {
  waitedMs: number;
}

const publishBudget = new AsyncLocalStorage<RetryBudget>();

export interface RetryHow<T> {
  /** Safe to send again after a dropped connection (GET, PUT, PATCH, DELETE, or a create that fails on a repeat). */
  idempotent: boolean;
  /** After a dropped connection: finds what the write did, if it landed (then that is the result). */
  onLostAnswer?: () => Promise<T | undefined>;
  /** After a 401: makes the next attempt carry a new token (then the request is sent once more). */
  renewToken?: () => void;
}

/** A request through the Graph client with the client's own retries off: withRetries is the one policy. */
export function graphApi(client: Client, path: string): GraphRequest {
  return client.api(path).middlewareOptions([NO_CLIENT_RETRY]);
}

/**
 * Sends one request with bounded retries: 429/503/504 after the whole Retry-After (or at once failing
 * when that is longer than the bot waits, see RetrySettings), a dropped connection again only when the
 * request is idempotent or, when the caller can tell, after checking whether the write landed, and a
 * 401 once more with a new token when the caller can get one. Fails with a PublishError whose message
 * names the step.
 */
export async function withRetries<T>(
  step: string,
  how: RetryHow<T>,
  request: () => Promise<T>,
  settings: RetrySettings = DEFAULT_RETRY,
  log?: PublisherLog,
  budget: RetryBudget = { waitedMs: 0 },
): Promise<T> {
  let renewed = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const failure = describeFailure(err);
      // The token was refused (revoked, say) before anything was done, so any request may be sent again;
      // with the cached token it would only be refused again. Once: a new token refused too is the answer.
      if (failure.status === 401 && how.renewToken && !renewed && attempt < settings.maxAttempts) {
        renewed = true;
        how.renewToken();
        log?.warn({ step, attempt, reason: failure.message }, 'token refused; retrying with a new one');
        continue;
      }
      if (failure.network && how.onLostAnswer) {
        const landed = await how.onLostAnswer();
        if (landed !== undefined) {
          log?.info({ step }, 'the answer was lost but the write landed');
          return landed;
        }
      }
      const retryable =
        failure.status !== undefined
          ? RETRYABLE_STATUS.has(failure.status)
          : failure.network && (how.idempotent || how.onLostAnswer !== undefined);
      if (!retryable || attempt >= settings.maxAttempts) {
        throw new PublishError(step, `${step} failed${afterAttempts(attempt)}: ${failure.message}`, failure.status, failure.network);
      }
      await pauseBeforeRetry(step, failure, attempt, settings, budget, log);
    }
  }
}

function afterAttempts(attempt: number): string {
  return attempt > 1 ? ` (after ${attempt} attempts)` : '';
}

function seconds(n: number): string {
  const whole = Math.round(n);
  return whole === 1 ? '1 second' : `${whole} seconds`;
}

/**
 * Waits before attempt `attempt + 1`: the Retry-After in full, else an exponential back-off. A Retry-After
 * above maxDelaySeconds, or any wait beyond what is left of maxTotalDelaySeconds, is not waited: the step
 * fails at once, saying how long SharePoint asked for, and the secretary publishes again later.
 */
async function pauseBeforeRetry(
  step: string,
  failure: Failure,
  attempt: number,
  settings: RetrySettings,
  budget: RetryBudget,
  log?: PublisherLog,
): Promise<void> {
  const { maxDelaySeconds, maxTotalDelaySeconds, baseDelayMs } = settings;
  const asked = failure.retryAfterSeconds;
  const ms =
    asked !== undefined ? asked * 1000 : Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelaySeconds * 1000) * (0.8 + Math.random() * 0.4);
  const tooLong = asked !== undefined && asked > maxDelaySeconds;
  if (tooLong || budget.waitedMs + ms > maxTotalDelaySeconds * 1000) {
    const tries = afterAttempts(attempt);
    const already = tooLong ? '' : ` more, after ${seconds(budget.waitedMs / 1000)} of waiting`;
    const message =
      asked !== undefined
        ? `${step} failed${tries}: SharePoint asked to wait ${seconds(Math.ceil(asked))}${already} (${failure.message})`
        : `${step} failed${tries}: ${failure.message}`;
    log?.warn({ step, attempt, askedMs: Math.round(ms), waitedMs: Math.round(budget.waitedMs) }, 'not waiting that long');
    throw new PublishError(step, message, failure.status, failure.network);
  }
  budget.waitedMs += ms;
  log?.warn({ step, attempt, waitMs: Math.round(ms), reason: failure.message }, 'retrying');
  await sleepAtLeast(ms);
}

/** A timer may fire a little early (it counts from the event loop's cached time): a retry never may. */
async function sleepAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await sleep(Math.ceil(left));
}

// ---------------------------------------------------------------------------------------------------
// Field values

/** SharePoint keeps a date-only value as an instant; noon UTC is the same calendar day in every site zone. */
function dateValue(date: string): string {
  return `${date}T12:00:00Z`;
}

function libraryFields(pkg: MinutesPackage, file: MinutesFile): Record<string, unknown> {
  // The public minutes leave closed items out; the closed (besloten) minutes hold them all.
  const decisions = file.part === 'openbaar' ? pkg.decisions.filter((d) => !d.closed) : pkg.decisions;
  return {
    [LIBRARY_FIELDS.meeting]: pkg.body,
    [LIBRARY_FIELDS.meetingDate]: dateValue(pkg.meetingDate),
    [LIBRARY_FIELDS.status]: pkg.status === 'adopted' ? 'vastgesteld' : 'concept',
    [LIBRARY_FIELDS.publicity]: file.part,
    [LIBRARY_FIELDS.decisionCount]: decisions.length,
    [LIBRARY_FIELDS.meetingId]: pkg.meetingId,
  };
}

function decisionFields(pkg: MinutesPackage, d: PublishedDecision): Record<string, unknown> {
  return {
    [DECISION_FIELDS.title]: d.key,
    [DECISION_FIELDS.key]: `${pkg.meetingId}/${d.key}`,
    [DECISION_FIELDS.text]: d.text,
    [DECISION_FIELDS.outcome]: d.outcome ? OUTCOME_LABELS[d.outcome] : null,
    [DECISION_FIELDS.itemCode]: d.itemCode,
    [DECISION_FIELDS.itemTitle]: d.itemTitle,
    [DECISION_FIELDS.meeting]: pkg.body,
    [DECISION_FIELDS.meetingDate]: dateValue(pkg.meetingDate),
    [DECISION_FIELDS.publicity]: d.closed ? 'besloten' : 'openbaar',
  };
}

function actionFields(pkg: MinutesPackage, a: PublishedAction): Record<string, unknown> {
  return {
    [ACTION_FIELDS.title]: `Actie ${a.label}`,
    // Actions carry over from meeting to meeting: the key names the series (chat), not the meeting.
    [ACTION_FIELDS.key]: a.key,
    [ACTION_FIELDS.text]: a.text,
    [ACTION_FIELDS.owner]: a.owner,
    [ACTION_FIELDS.due]: a.due ? dateValue(a.due) : null,
    [ACTION_FIELDS.status]: a.status === 'done' ? 'gereed' : 'open',
    [ACTION_FIELDS.itemCode]: a.itemCode,
    [ACTION_FIELDS.meeting]: pkg.body,
    [ACTION_FIELDS.meetingDate]: dateValue(pkg.meetingDate),
    [ACTION_FIELDS.publicity]: a.closed ? 'besloten' : 'openbaar',
  };
}

/** A create leaves absent values out; an update sends null to clear them. */
function withoutEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** "<base>" or "<base> (n)", as SharePoint compares names (ignoring case). */
function isMeetingFolderName(name: string, base: string): boolean {
  const lower = name.toLowerCase();
  const prefix = base.toLowerCase();
  return lower === prefix || (lower.startsWith(prefix) && /^ \(\d+\)$/.test(lower.slice(prefix.length)));
}

/** SharePoint refuses " * : < > ? / \ | in names, and leading/trailing spaces or trailing dots. */
export function safeName(name: string): string {
  return Array.from(name, (ch) => (ch < ' ' ? '-' : ch))
    .join('')
    .replace(/["*:<>?/\\|]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '');
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function contentType(name: string): string {
  if (/\.docx$/i.test(name)) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (/\.pdf$/i.test(name)) return 'application/pdf';
  return 'application/octet-stream';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, field: string, what: string): string {
  const v = isRecord(value) ? value[field] : undefined;
  if (typeof v !== 'string' || !v) throw new Error(`Graph answered a ${what} without ${field}`);
  return v;
}

function arrayOf(value: unknown, field: string): unknown[] {
  const v = isRecord(value) ? value[field] : undefined;
  return Array.isArray(v) ? v : [];
}

function toDriveItem(value: unknown): DriveItem {
  const file = isRecord(value) && isRecord(value.file) ? value.file : undefined;
  const hashes = file && isRecord(file.hashes) ? file.hashes : undefined;
  return {
    id: requireString(value, 'id', 'drive item'),
    name: requireString(value, 'name', 'drive item'),
    webUrl: isRecord(value) && typeof value.webUrl === 'string' ? value.webUrl : '',
    size: isRecord(value) && typeof value.size === 'number' ? value.size : undefined,
    quickXorHash: hashes && typeof hashes.quickXorHash === 'string' ? hashes.quickXorHash : undefined,
    isFolder: isRecord(value) && isRecord(value.folder),
    parentId:
      isRecord(value) && isRecord(value.parentReference) && typeof value.parentReference.id === 'string'
        ? value.parentReference.id
        : undefined,
  };
}

/** "26-" or "26-127" → 26. */
function firstExpectedOffset(body: unknown): number | undefined {
  const first = arrayOf(body, 'nextExpectedRanges')[0];
  const match = typeof first === 'string' ? /^(\d+)-/.exec(first) : null;
  return match ? Number(match[1]) : undefined;
}

const NETWORK_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_|socket hang up|other side closed/;

function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (e.name === 'TimeoutError') return true;
    if (e.message === 'fetch failed' || NETWORK_CODES.test(e.message) || (typeof code === 'string' && NETWORK_CODES.test(code)))
      return true;
  }
  return false;
}

function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function describeFailure(err: unknown): Failure {
  if (err instanceof GraphError) {
    if (err.statusCode > 0) {
      const what = [err.statusCode, err.code].filter(Boolean).join(' ');
      return {
        status: err.statusCode,
        retryAfterSeconds: retryAfterSeconds(err.headers?.get('Retry-After')),
        network: false,
        message: `${what}: ${err.message || 'no message'}`,
      };
    }
    // No status: the request never got an answer, or the token could not be had (code is the error's name).
    if (err.code && /Authentication|Credential/.test(err.code)) {
      return { network: false, message: `could not get a token from Entra ID: ${err.message}` };
    }
    return { network: isNetworkError(err), message: err.message || String(err.code) };
  }
  if (err instanceof Error) return { network: isNetworkError(err), message: err.message };
  return { network: false, message: String(err) };
}

async function failureFromResponse(res: Response, what: string): Promise<Failure> {
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const body: unknown = JSON.parse(text);
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (error) detail = `${String(error.code ?? '')}: ${String(error.message ?? '')}`;
  } catch {
    // not JSON: keep the text
  }
  return {
    status: res.status,
    retryAfterSeconds: retryAfterSeconds(res.headers.get('Retry-After')),
    network: false,
    message: `${what}: ${res.status} ${detail}`.trim(),
  };
}

/**
 * OneDrive/SharePoint's content hash (file.hashes.quickXorHash): each byte XORed into a 160-bit
 * register at bit offset 11·i (mod 160), then the length XORed into the last 64 bits; base64.
 */
export function quickXorHash(data: Uint8Array): string {
  const register = new Uint8Array(20);
  let bit = 0;
  for (let i = 0; i < data.length; i++) {
    const index = bit >> 3;
    const shifted = data[i] << (bit & 7);
    register[index] ^= shifted & 0xff;
    if (shifted > 0xff) register[(index + 1) % 20] ^= shifted >> 8;
    bit = (bit + 11) % 160;
  }
  let length = BigInt(data.length);
  for (let k = 0; k < 8; k++) {
    register[12 + k] ^= Number(length & 0xffn);
    length >>= 8n;
  }
  return Buffer.from(register).toString('base64');
}
