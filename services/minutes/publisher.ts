// Where published minutes go. One port, two implementations: a local folder (the embedded default)
// and a SharePoint document library through Microsoft Graph. Both receive the same rendered package,
// and both keep its closed part (the besloten document, closed decisions and actions) apart from the
// public part, in a place of its own that an administrator can restrict to the chair and the secretary.
import type { Outcome } from '../meeting/types';

export interface MinutesFile {
  /** File name, e.g. "2016-10-10 Districtelijk Veiligheidsoverleg openbaar.docx". */
  name: string;
  part: 'openbaar' | 'besloten';
  content: Buffer;
}

/** Everything a publisher writes for one meeting: the documents and the records for lists. */
export interface MinutesPackage {
  meetingId: string;
  /**
   * The series (the Teams chat the meetings are held in), as a stable, opaque id: the first 16
   * characters of the base64url SHA-256 of its tenant and conversation id. Titles and action numbers
   * repeat across chats; this id tells chats apart in keys and records without exposing the
   * conversation id.
   */
  seriesId: string;
  /** yyyy-mm-dd */
  meetingDate: string;
  /** The body's name (the meeting title), e.g. "Districtelijk Veiligheidsoverleg". */
  body: string;
  /** "concept" until adopted, then "vastgesteld op <date>". */
  status: 'concept' | 'adopted';
  adoptedOn?: string;
  files: MinutesFile[];
  decisions: PublishedDecision[];
  actions: PublishedAction[];
}

export interface PublishedDecision {
  /** "2016-10-10/3" */
  key: string;
  itemCode: string;
  itemTitle: string;
  text: string;
  outcome?: Outcome;
  closed: boolean;
}

export interface PublishedAction {
  /**
   * Unique across chats and stable across meetings: "<seriesId>/actie/<number>" (the number alone
   * repeats in every chat).
   */
  key: string;
  /** The action number within the conversation. */
  number: number;
  /** The number as people see it: "3", or "V1" in the closed items' own series. */
  label: string;
  itemCode: string;
  text: string;
  owner: string;
  due?: string;
  status: 'open' | 'done';
  /** On a closed (besloten) agenda item: listed in the closed document only. */
  closed: boolean;
}

/** Where a publish put the closed (besloten) part, so the secretary's publish card can say so. */
export interface ClosedLocation {
  kind: 'folder' | 'sharepoint';
  /**
   * The meeting's closed folder: a local path (under MINUTES_CLOSED_DIR), or its path in the document
   * library ("Besloten/2016-10-10 Districtelijk Veiligheidsoverleg").
   */
  description: string;
  /** SharePoint: the folder's web address (it opens only for those the folder is shared with). None for a local folder. */
  url?: string;
  /**
   * Where the closed decisions and actions went: the closed register beside the besloten document
   * (folder), the closed lists (SharePoint), or nowhere but the besloten document itself (SharePoint
   * without closed lists configured).
   */
  records: 'register' | 'lists' | 'documentOnly';
}

export interface PublishResult {
  /** Every document written, the closed one included (MinutesService.publishedLinks decides who gets which link). */
  files: { name: string; url: string }[];
  /** Ids to keep with the meeting so the next publish replaces instead of duplicating. */
  remote?: Record<string, string>;
  /** Set when the package had a closed part: where it went. */
  closedLocation?: ClosedLocation;
}

/**
 * What a publisher throws when it fails after writing part of a package: `remote` (as in PublishResult,
 * the earlier ids included) lets the next publish replace or remove what this attempt wrote, such as a
 * closed part the meeting no longer has.
 */
export class PartlyPublished extends Error {
  constructor(
    message: string,
    readonly remote: Record<string, string>,
  ) {
    super(message);
    this.name = 'PartlyPublished';
  }
}

/** What a publisher logs through (pino's shape). */
export interface PublisherLog {
  info(data: Record<string, unknown>, msg: string): void;
  warn(data: Record<string, unknown>, msg: string): void;
}

export interface MinutesPublisher {
  /** A short name for logs and the README ("folder", "sharepoint"). */
  readonly kind: string;
  /**
   * Writes the package, replacing what an earlier publish of the same meeting wrote. `previous`
   * holds what that earlier publish returned in `remote`.
   */
  publish(pkg: MinutesPackage, previous?: Record<string, string>): Promise<PublishResult>;
  /**
   * Removes what a crash left behind (temporary files), once; called at start, and by publish() before
   * its first write. Never throws: a failure is logged.
   */
  cleanUp?(): Promise<void>;
}
