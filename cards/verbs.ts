// The card verbs, declared once: templates name them as ${$root.verbs.<name>} (renderCard binds this
// table), bot/commands.ts gives each its schema and command, and a test checks both against each other.
export const Verb = {
  help: 'help',
  /** Teams' refresh of a user-specific view (refresh.userIds): the same card, in that user's view. */
  refresh: 'refresh',
  plan: 'plan',
  editMeeting: 'editMeeting',
  cancelMeeting: 'cancelMeeting',
  agenda: 'agenda',
  agendaPage: 'agendaPage',
  setAgenda: 'setAgenda',
  start: 'start',
  goTo: 'goTo',
  showItem: 'showItem',
  announcement: 'announcement',
  question: 'question',
  apologies: 'apologies',
  present: 'present',
  attendance: 'attendance',
  note: 'note',
  decision: 'decision',
  action: 'action',
  correct: 'correct',
  actions: 'actions',
  actionsPage: 'actionsPage',
  done: 'done',
  close: 'close',
  reopen: 'reopen',
  minutes: 'minutes',
  publish: 'publish',
} as const;

export type VerbName = (typeof Verb)[keyof typeof Verb];

export const ALL_VERBS: readonly string[] = Object.values(Verb);

/** Which card an action was clicked on: an Action.Execute answer re-renders that card. */
export const CARD_KINDS = ['help', 'welcome', 'meeting', 'agenda', 'item', 'actions', 'minutes', 'publish', 'message', 'cancel'] as const;
export type CardKind = (typeof CARD_KINDS)[number];
