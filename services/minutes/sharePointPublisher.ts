// Publishes minutes to a SharePoint document library through Microsoft Graph, and the decisions and
// actions to SharePoint lists. Every write is safe to repeat: files are replaced by name (a new version),
// list items are found by their key (Sleutel) before one is created, and an answer lost on the way back is
// reconciled by looking the write up instead of blindly sending it again.
//
// The closed part keeps apart from the public one, in places an administrator restricts to the chair and
// the secretary: the besloten document goes to a folder of its own (SHAREPOINT_CLOSED_FOLDER, default
// "Besloten", beside SHAREPOINT_FOLDER), closed decisions and actions to lists of their own
// (SHAREPOINT_CLOSED_DECISIONS_LIST_ID, SHAREPOINT_CLOSED_ACTIONS_LIST_ID). Without those lists nothing
// closed is written to any list: the closed records are in the besloten document only. A closed record
// never goes to a public list, and one an older version put there is removed.
//
// Each meeting gets a folder of its own in each of the two, "<date> <body>". Two chats can hold a meeting
// with the same title on the same day, so a folder that holds another meeting's files (their VergaderingId
// says so) is left alone and "<date> <body> (2)", "(3)", … is used instead; the closed folder takes the
// public one's name when it can. The folders' ids are kept in `remote`, so a republish goes straight back.
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
import { meetingFolderName, minutesFileName } from './package';
import {
  DEFAULT_RETRY,
  describeFailure,
  type Failure,
  failureFromResponse,
  graphApi,
  pauseBeforeRetry,
  PublishError,
  RETRYABLE_STATUS,
  type RetryBudget,
  type RetryHow,
  type RetrySettings,
  withRetries,
} from './graphRetries';
import {
  PartlyPublished,
  type ClosedLocation,
  type MinutesFile,
  type MinutesPackage,
  type MinutesPublisher,
  type PublisherLog,
  type PublishResult,
  type PublishedAction,
  type PublishedDecision,
} from './publisher';
import { quickXorHash } from './quickXorHash';
import { KEY_FIELD, LIBRARY_FIELDS } from './sharePointColumns';
import { actionFields, decisionFields, libraryFields, withoutEmpty } from './sharePointFields';

/** The key in PublishResult.remote under which the meeting's folder id is kept. */
export const FOLDER_REMOTE_KEY = 'folder';
/** … and the meeting's closed folder id. */
const CLOSED_FOLDER_REMOTE_KEY = 'closedFolder';
/**
 * Set once a publish has put the closed part apart (and removed what an older version put among the public
 * lists and documents): until then each publish looks for such leftovers.
 */
const LAYOUT_REMOTE_KEY = 'layout';
const CLOSED_APART = 'closed-apart';

export interface SharePointPublisherOptions {
  client: Client;
  siteId: string;
  /** The document library's drive; the site's default library when absent. */
  driveId?: string;
  /** Folder (path) in the library under which each meeting gets "<yyyy-mm-dd> <body>" (or "… (2)", …). */
  folder?: string;
  decisionsListId?: string;
  actionsListId?: string;
  /** Folder (path) in the library for the closed documents, one subfolder per meeting. Default "Besloten". */
  closedFolder?: string;
  /** Lists for closed decisions and actions; without them no closed record goes to any list. */
  closedDecisionsListId?: string;
  closedActionsListId?: string;
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

/** A meeting's folder in one of the two trees. */
interface MeetingFolder {
  id: string;
  name: string;
  webUrl: string;
  /** 1 for "<date> <body>", n for "<date> <body> (n)". */
  n: number;
}

/** What the retries of one publish have waited, shared by its steps (RetrySettings.maxTotalDelaySeconds). */
const publishBudget = new AsyncLocalStorage<RetryBudget>();

export class SharePointMinutesPublisher implements MinutesPublisher {
  readonly kind = 'sharepoint';
  private readonly client: Client;
  private readonly siteId: string;
  private readonly folder: string[];
  private readonly closedFolder: string[];
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
    this.closedFolder = (opts.closedFolder ?? 'Besloten').split('/').map(safeName).filter(Boolean);
    if (this.closedFolder.length === 0 || this.closedFolder.join('/').toLowerCase() === this.folder.join('/').toLowerCase())
      throw new Error('SharePoint publisher: the closed folder must be a folder of its own');
    for (const closed of [opts.closedDecisionsListId, opts.closedActionsListId]) {
      if (closed && (closed === opts.decisionsListId || closed === opts.actionsListId))
        throw new Error('SharePoint publisher: a closed list must be a list of its own');
    }
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
    const meeting = { date: pkg.meetingDate, title: pkg.body };
    const base = safeName(meetingFolderName(meeting));
    // Versions before the one name rule named the folder after the whole title: such a folder stays the meeting's.
    const olderBase = safeName(`${pkg.meetingDate} ${pkg.body}`);
    const open = await this.meetingFolder(driveId, this.folder, [base, olderBase], pkg.meetingId, previous?.[FOLDER_REMOTE_KEY], 1);
    remote[FOLDER_REMOTE_KEY] = open.id;

    const closedFiles = pkg.files.filter((f) => f.part === 'besloten');
    const decisions = split(pkg.decisions);
    const actions = split(pkg.actions);
    const hasClosed = closedFiles.length + decisions.closed.length + actions.closed.length > 0;
    let closed: MeetingFolder | undefined;
    if (hasClosed) {
      closed = await this.meetingFolder(driveId, this.closedFolder, [base], pkg.meetingId, previous?.[CLOSED_FOLDER_REMOTE_KEY], open.n);
      remote[CLOSED_FOLDER_REMOTE_KEY] = closed.id;
    }

    const files: PublishResult['files'] = [];
    for (const file of pkg.files) {
      const folderId = file.part === 'besloten' ? closed!.id : open.id;
      const item = await this.uploadFile(driveId, folderId, file);
      await this.send<unknown>(`setting the library fields of ${item.name}`, { idempotent: true }, () =>
        this.api(`/drives/${enc(driveId)}/items/${enc(item.id)}/listItem/fields`).patch(libraryFields(pkg, file)),
      );
      files.push({ name: item.name, url: item.webUrl });
      remote[`file:${file.name}`] = item.id;
    }

    const lists: [string | undefined, string, PublishedDecision[]][] = [
      [this.opts.decisionsListId, 'decision', decisions.open],
      [this.opts.closedDecisionsListId, 'closed-decision', decisions.closed],
    ];
    for (const [listId, prefix, records] of lists) {
      if (!listId) continue;
      for (const decision of records) {
        const key = `${prefix}:${decision.key}`;
        remote[key] = await this.upsertListItem(
          listId,
          `${prefix.replace('-', ' ')} ${decision.key}`,
          decisionFields(pkg, decision),
          previous?.[key],
        );
      }
    }
    const actionLists: [string | undefined, string, PublishedAction[]][] = [
      [this.opts.actionsListId, 'action', actions.open],
      [this.opts.closedActionsListId, 'closed-action', actions.closed],
    ];
    for (const [listId, prefix, records] of actionLists) {
      if (!listId) continue;
      for (const action of records) {
        const key = `${prefix}:${action.key}`;
        remote[key] = await this.upsertListItem(
          listId,
          `${prefix.replace('-', ' ')} ${action.label}`,
          actionFields(pkg, action),
          previous?.[key],
        );
      }
    }

    if (previous?.[LAYOUT_REMOTE_KEY] !== CLOSED_APART)
      await this.removeOlderClosedPart(driveId, pkg, open.id, decisions.closed, actions.closed);
    await this.removeStale(driveId, pkg, previous, remote);
    remote[LAYOUT_REMOTE_KEY] = CLOSED_APART;

    const closedLocation: ClosedLocation | undefined = closed && {
      kind: 'sharepoint',
      description: [...this.closedFolder, closed.name].join('/'),
      ...(closed.webUrl ? { url: closed.webUrl } : {}),
      records: this.opts.closedDecisionsListId || this.opts.closedActionsListId ? 'lists' : 'documentOnly',
    };
    return { files, remote, ...(closedLocation ? { closedLocation } : {}) };
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
   * The meeting's own folder under `root` (SHAREPOINT_FOLDER or SHAREPOINT_CLOSED_FOLDER): the one an
   * earlier publish of this meeting used (`rememberedId`), else the first of "<date> <body>", "… (2)", …
   * from "(startAt)" on that is new, empty, or holds no other meeting's files. `bases[0]` is the name;
   * a remembered folder named after one of the others is kept too.
   */
  private async meetingFolder(
    driveId: string,
    root: string[],
    bases: string[],
    meetingId: string,
    rememberedId: string | undefined,
    startAt: number,
  ): Promise<MeetingFolder> {
    const parentId = await this.ensureFolder(driveId, root);
    const base = bases[0]!;
    if (rememberedId) {
      const item = await this.itemById(driveId, rememberedId, 'looking up the meeting’s folder');
      // Deleted (404), moved away from where the minutes go, or named for a title or date the meeting no
      // longer has: found or made again as on a first publish.
      const inPlace = item?.isFolder && (parentId === 'root' || item.parentId === parentId);
      const n = item ? bases.map((b) => folderNumber(item.name, b)).find((k) => k !== undefined) : undefined;
      if (item && inPlace && n !== undefined) return { id: item.id, name: item.name, webUrl: item.webUrl, n };
    }
    const order = [...range(startAt, MAX_MEETING_FOLDERS), ...range(1, startAt - 1)];
    for (const n of order) {
      const name = n === 1 ? base : `${base} (${n})`;
      const path = [...root, name].join('/');
      let item = await this.itemByPath(driveId, parentId, name, `looking up folder ${path}`);
      if (!item) {
        const made = await this.createFolder(driveId, parentId, name, path);
        if (made.created) return { id: made.item.id, name: made.item.name, webUrl: made.item.webUrl, n };
        // 409: made by a publish racing this one, or by this one's own create whose answer was lost.
        item = made.item;
      }
      if (item.isFolder && (await this.folderIsFree(driveId, item.id, meetingId, path)))
        return { id: item.id, name: item.name, webUrl: item.webUrl, n };
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

  /**
   * What the previous publish of this meeting wrote and this one did not: its files (also one now written
   * elsewhere: a besloten document moved to the closed folder), its decisions, and an action that moved
   * between the public and the closed part. Actions otherwise outlive the meeting (they carry over), so
   * they are never removed here.
   */
  private async removeStale(
    driveId: string,
    pkg: MinutesPackage,
    previous: Record<string, string> | undefined,
    current: Record<string, string>,
  ): Promise<void> {
    const closedActions = new Set(pkg.actions.filter((a) => a.closed).map((a) => a.key));
    const publicActions = new Set(pkg.actions.filter((a) => !a.closed).map((a) => a.key));
    const listItem = (listId: string | undefined, id: string) =>
      listId ? `/sites/${enc(this.siteId)}/lists/${enc(listId)}/items/${enc(id)}` : undefined;
    for (const [key, id] of Object.entries(previous ?? {})) {
      const [prefix, record] = splitKey(key);
      let path: string | undefined;
      if (prefix === 'file') {
        if (current[key] !== id) path = `/drives/${enc(driveId)}/items/${enc(id)}`;
      } else if (key in current) {
        continue;
      } else if (prefix === 'decision') path = listItem(this.opts.decisionsListId, id);
      else if (prefix === 'closed-decision') path = listItem(this.opts.closedDecisionsListId, id);
      else if (prefix === 'action' && closedActions.has(record)) path = listItem(this.opts.actionsListId, id);
      else if (prefix === 'closed-action' && publicActions.has(record)) path = listItem(this.opts.closedActionsListId, id);
      if (path) await this.remove(`removing ${prefix.replace('-', ' ')} ${record}`, path);
    }
  }

  /**
   * Versions before the closed folder and lists put the besloten document beside the public one and the
   * closed decisions and actions in the public lists. Removes them, by name and by key (the remembered ids
   * may be lost), once: the publish that succeeds marks the meeting with LAYOUT_REMOTE_KEY.
   */
  private async removeOlderClosedPart(
    driveId: string,
    pkg: MinutesPackage,
    publicFolderId: string,
    closedDecisions: PublishedDecision[],
    closedActions: PublishedAction[],
  ): Promise<void> {
    const name = safeName(minutesFileName({ date: pkg.meetingDate, title: pkg.body }, 'besloten'));
    const step = `removing ${name} from the public folder`;
    const beside = await this.itemByPath(driveId, publicFolderId, name, step);
    if (beside && !beside.isFolder) await this.remove(step, `/drives/${enc(driveId)}/items/${enc(beside.id)}`);
    const found: [string | undefined, string, string][] = [
      ...closedDecisions.map((d): [string | undefined, string, string] => [
        this.opts.decisionsListId,
        `${pkg.meetingId}/${d.key}`,
        `decision ${d.key}`,
      ]),
      ...closedActions.map((a): [string | undefined, string, string] => [this.opts.actionsListId, a.key, `action ${a.label}`]),
    ];
    for (const [listId, key, label] of found) {
      if (!listId) continue;
      const step = `removing closed ${label} from the public list`;
      const id = await this.findListItem(listId, key, step);
      if (id) await this.remove(step, `/sites/${enc(this.siteId)}/lists/${enc(listId)}/items/${enc(id)}`);
    }
  }

  /** A DELETE; already gone (404) counts as done. */
  private async remove(step: string, path: string): Promise<void> {
    try {
      await this.send<unknown>(step, { idempotent: true }, () => this.api(path).delete());
    } catch (err) {
      if (!(err instanceof PublishError) || err.status !== 404) throw err;
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

/** The public and the closed records of a package. */
function split<T extends { closed: boolean }>(records: T[]): { open: T[]; closed: T[] } {
  return { open: records.filter((r) => !r.closed), closed: records.filter((r) => r.closed) };
}

/** "closed-action:k3Jx/actie/13" → ["closed-action", "k3Jx/actie/13"]. */
function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

/** 1 for "<base>", n for "<base> (n)", as SharePoint compares names (ignoring case); else undefined. */
function folderNumber(name: string, base: string): number | undefined {
  if (!isMeetingFolderName(name, base)) return undefined;
  const match = /\((\d+)\)$/.exec(name.slice(base.length));
  return match ? Number(match[1]) : 1;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
