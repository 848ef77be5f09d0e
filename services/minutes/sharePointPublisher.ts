// Publishes minutes to a SharePoint document library through Microsoft Graph, and the decisions and
// actions to two SharePoint lists. Every write is safe to repeat: files are replaced by name (a new
// version), list items are found by their key (Sleutel) before one is created, and an answer lost on
// the way back is reconciled by looking the write up instead of blindly sending it again.
//
// Each meeting gets a folder of its own, "<date> <body>". Two chats can hold a meeting with the same
// title on the same day, so a folder that holds another meeting's files (their VergaderingId says so)
// is left alone and "<date> <body> (2)", "(3)", … is used instead. The folder's id is kept in `remote`,
// so a republish goes straight back to it.
//
// The columns are in sharePointColumns.ts, what goes in them in sharePointFields.ts, the retry policy
// in graphRetries.ts, and the parsing of Graph's drive items in driveItems.ts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import {
  arrayOf,
  contentType,
  type DriveItem,
  enc,
  firstExpectedOffset,
  isMeetingFolderName,
  isRecord,
  requireString,
  safeName,
  toDriveItem,
} from './driveItems';
import { renewGraphToken } from './graph';
import {
  DEFAULT_RETRY,
  describeFailure,
  type Failure,
  failureFromResponse,
  graphApi,
  pauseBeforeRetry,
  PublishError,
  type PublisherLog,
  RETRYABLE_STATUS,
  type RetryBudget,
  type RetryHow,
  type RetrySettings,
  withRetries,
} from './graphRetries';
import { PartlyPublished, type MinutesFile, type MinutesPackage, type MinutesPublisher, type PublishResult } from './publisher';
import { quickXorHash } from './quickXorHash';
import { KEY_FIELD, LIBRARY_FIELDS } from './sharePointColumns';
import { actionFields, decisionFields, libraryFields, withoutEmpty } from './sharePointFields';

/** The key in PublishResult.remote under which the meeting's folder id is kept. */
export const FOLDER_REMOTE_KEY = 'folder';

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

const FRAGMENT_UNIT = 320 * 1024;
const DEFAULT_SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
const DEFAULT_FRAGMENT_SIZE = 10 * FRAGMENT_UNIT;
// A fragment that hangs this long is treated like a dropped connection (the Graph client sets no timeout either).
const FRAGMENT_TIMEOUT_MS = 5 * 60_000;
// Filtering on a column needs it indexed; the header makes small unindexed lists work as well.
const PREFER_NON_INDEXED = 'HonorNonIndexedQueriesWarningMayFailRandomly';
/** "(2)" … "(100)": far more meetings with one title on one day than any site has. */
const MAX_MEETING_FOLDERS = 100;

/** What the retries of one publish have waited, shared by its steps (RetrySettings.maxTotalDelaySeconds). */
const publishBudget = new AsyncLocalStorage<RetryBudget>();

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
          `action ${action.number}`,
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
