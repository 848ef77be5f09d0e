// The SharePoint column schema: the lists' names and the internal names and definitions of every column
// the publisher writes, on the document library and on the decision and action lists (public and closed).
// The one place shared by the publisher, its field mapping and the setup (npm run setup:sharepoint).

export const DECISIONS_LIST_NAME = 'Notulist besluiten';
export const ACTIONS_LIST_NAME = 'Notulist acties';
/** The closed decisions and actions: lists of their own, which an administrator restricts to the chair and the secretary. */
export const CLOSED_DECISIONS_LIST_NAME = 'Notulist besluiten (besloten)';
export const CLOSED_ACTIONS_LIST_NAME = 'Notulist acties (besloten)';
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
