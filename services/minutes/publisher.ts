// Where published minutes go. One port, two implementations: a local folder (the embedded default)
// and a SharePoint document library through Microsoft Graph. Both receive the same rendered package.
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
  /** The action number within the conversation (stable). */
  key: string;
  number: number;
  itemCode: string;
  text: string;
  owner: string;
  due?: string;
  status: 'open' | 'done';
}

export interface PublishResult {
  files: { name: string; url: string }[];
  /** Ids to keep with the meeting so the next publish replaces instead of duplicating. */
  remote?: Record<string, string>;
}

export interface MinutesPublisher {
  /** A short name for logs and the README ("folder", "sharepoint"). */
  readonly kind: string;
  /**
   * Writes the package, replacing what an earlier publish of the same meeting wrote. `previous`
   * holds what that earlier publish returned in `remote`.
   */
  publish(pkg: MinutesPackage, previous?: Record<string, string>): Promise<PublishResult>;
}
