// The meeting domain: plain data, no Bot Framework types. One Series per Teams conversation
// (tenant + conversation id) holds every meeting held in it and the action items that carry over.

/** A Teams user as the bot knows them: ids are what rights are bound to, the name is for display. */
export interface Person {
  /** The channel id (Teams: "29:…"). */
  id: string;
  /** Entra ID object id, when Teams sent it. */
  aadObjectId?: string;
  name: string;
}

export type ItemKind =
  'opening' | 'announcements' | 'previousMinutes' | 'discussion' | 'decision' | 'information' | 'questionRound' | 'closing';

export type Outcome = 'agreed' | 'agreedWithChanges' | 'deferred' | 'rejected' | 'adopted' | 'noted';

export interface Attachment {
  title: string;
  url?: string;
}

/** What was read from a proposal document (voorstel). Missing fields stay undefined. */
export interface Proposal {
  subject?: string;
  itemCode?: string;
  date?: string;
  /** false when the document says "OPENBAAR nee": the item becomes closed (besloten). */
  public?: boolean;
  handledBy?: string;
  portfolioHolder?: string;
  registrationNumber?: string;
  phone?: string;
  /** The introduction of the advice (the sentence before the numbered points, or the whole advice). */
  adviceIntro?: string;
  /** The numbered decision/advice points, in order. */
  advice: string[];
  attachments: string[];
  summary?: string;
  /** The document as sent, kept so nothing is lost when parsing misses something. */
  text: string;
  /** Header fields that could not be found (Dutch field names, as in the document). */
  missing: string[];
}

export interface Note {
  /** Number within the meeting, across its items, stable once given (`wijzig verslag <n>`); see numberRecords. */
  number?: number;
  text: string;
  by: Person;
  at: string;
}

export interface Decision {
  /**
   * Number within the meeting, stable once given. Decisions on a closed item are numbered in a series
   * of their own (`closedSeries`, shown "V1", "V2"), so the public minutes show no gaps.
   */
  number: number;
  closedSeries?: boolean;
  itemId: string;
  text: string;
  outcome?: Outcome;
  by: Person;
  at: string;
}

export interface ActionItem {
  /** Number within the conversation, stable across meetings: `gereed <number>`; a closed item's own series is "V<n>". */
  number: number;
  closedSeries?: boolean;
  meetingId: string;
  itemId: string;
  itemCode: string;
  owner: string;
  /** Set when the owner was named with an @mention: they may then mark it done themselves. */
  ownerUser?: Person;
  text: string;
  /** ISO date (yyyy-mm-dd). */
  due?: string;
  status: 'open' | 'done';
  createdAt: string;
  doneAt?: string;
  doneBy?: Person;
}

/** An announcement (mededeling) or a round question (rondvraag): text with the name it is attributed to. */
export interface Contribution {
  /** Unique within the meeting (announcements and questions together); kept for older data. */
  id: number;
  /** Number within its kind (mededeling 1, 2…; rondvraag 1, 2…), stable once given; see numberRecords. */
  number?: number;
  author: string;
  text: string;
  by: Person;
  at: string;
}

export interface AgendaItem {
  /** Stable id, used in card data; codes can repeat after an agenda change, ids never do. */
  id: string;
  code: string;
  title: string;
  kind: ItemKind;
  /** A closed (besloten) item never appears in the public minutes. */
  closed: boolean;
  portfolioHolder?: string;
  attachments: Attachment[];
  proposal?: Proposal;
  notes: Note[];
  /** For a previousMinutes item: the meeting whose minutes it offers for approval. */
  previousMinutesOf?: string;
  /** When the item was current: one span per visit, the last one open while it is current. */
  spans?: { from: string; to?: string }[];
}

export interface Absence {
  name: string;
  /** afgemeld: sent apologies before or during the meeting. */
  withNotice: boolean;
}

export interface Publication {
  state: 'publishing' | 'published' | 'failed';
  at: string;
  /** Which minutes status the published files carry. */
  status: 'concept' | 'adopted';
  files: { name: string; url: string }[];
  error?: string;
  /** Publisher-specific ids kept so a republish replaces instead of duplicating (list item ids…). */
  remote?: Record<string, string>;
}

export interface Minutes {
  status: 'concept' | 'adopted';
  /** ISO date of the meeting that adopted them. */
  adoptedOn?: string;
  adoptedInMeetingId?: string;
  publication?: Publication;
  /** Links to the full draft carry this number; publishing raises it, so earlier links stop working. */
  draftLinkVersion?: number;
}

export type MeetingStatus = 'planned' | 'running' | 'closed';

/** The kinds of record that carry a number and can be corrected (`wijzig <soort> <n>`). */
export type RecordKind = 'decision' | 'action' | 'announcement' | 'question' | 'note';

/** One correction (wijzig / verwijder), kept for the secretary's full draft page: never in published minutes. */
export interface RecordChange {
  at: string;
  by: Person;
  /** A record, or the meeting's own facts (`wijzig vergadering`). */
  kind: RecordKind | 'meeting';
  /** The record's number as cards show it ("3", "B1"); for the meeting, the fact changed ("locatie"). */
  label: string;
  change: 'edited' | 'removed';
  before: string;
  after?: string;
}

export interface Meeting {
  id: string;
  title: string;
  /** The language of the cards everyone sees (the planner's Teams locale). */
  locale?: string;
  /** ISO date (yyyy-mm-dd). */
  date: string;
  /** hh:mm */
  startTime?: string;
  endTime?: string;
  location?: string;
  chairName?: string;
  secretaryName?: string;
  members: string[];
  /** Rights: bound to Teams ids. */
  secretary: Person;
  chairs: Person[];
  status: MeetingStatus;
  currentItemId?: string;
  agenda: AgendaItem[];
  announcements: Contribution[];
  questions: Contribution[];
  decisions: Decision[];
  present: string[];
  absent: Absence[];
  nextDecisionNumber: number;
  nextContributionId: number;
  /** Next numbers of the other numbered records (see numbering in operations.ts). */
  next?: { closedDecision?: number; note?: number; announcement?: number; question?: number };
  createdAt: string;
  /** Actual start and end (ISO): from Teams' meeting events, else the first `start` and the `sluiten`. */
  startedAt?: string;
  endedAt?: string;
  /** Where startedAt / endedAt came from: Teams' own events win over the bot's commands. */
  clockSource?: { start?: 'teams' | 'bot'; end?: 'teams' | 'bot' };
  closedAt?: string;
  /** The secretary's choice: the minutes show how long each item took. */
  itemTimesInMinutes?: boolean;
  minutes: Minutes;
  /** Corrections of the record, oldest first. */
  changes?: RecordChange[];
  /** The live agenda card's message id in the chat. */
  agendaCardId?: string;
  /** The meeting cards the bot posted for it (newest last): edited as the meeting changes, so their buttons follow its state. */
  meetingCardIds?: string[];
  /**
   * The live item card: the bot's own message that follows the current item (its id is the only one
   * ever edited as the item card). `itemId` is the item it shows now.
   */
  itemCard?: { activityId: string; itemId: string };
  /**
   * Folded away (see MeetingService): its records (proposals, notes, announcements, questions,
   * decisions) live in a document of their own; read the meeting with MeetingService.read(…, id).
   */
  folded?: boolean;
}

export interface Series {
  tenantId: string;
  conversationId: string;
  meetings: Meeting[];
  actions: ActionItem[];
  nextActionNumber: number;
  /** The closed items' actions are numbered in a series of their own ("V1", "V2"). */
  nextClosedActionNumber?: number;
  /** Where to post proactively (serialized conversation reference, opaque to the domain). */
  conversationRef?: Record<string, unknown>;
  /**
   * Who is who in the member list (`leden:`): the list's name of a Teams user, by Teams id, as the secretary
   * set it (`lid @naam: M. Stegers`). Where none is set, a display name is matched to the list by name.
   */
  memberNames?: Record<string, string>;
  /** The chat's own house style for its minutes, over the deployment's (MINUTES_BODY, MINUTES_HEADER_LINE). */
  houseStyle?: HouseStyleText;
}

/** The body's name and header line on every page of the minutes; "" clears the chat's own back to the default. */
export interface HouseStyleText {
  body?: string;
  line?: string;
  /** The name of one of the deployment's logos (MINUTES_LOGOS), in place of its own (MINUTES_LOGO). */
  logo?: string;
}
