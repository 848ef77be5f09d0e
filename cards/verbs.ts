// The card verbs: one table shared by the cards that send them, the router that reads them, and tests.
export const Verb = {
  help: 'help',
  agenda: 'agenda',
  refreshAgenda: 'refreshAgenda',
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
  actions: 'actions',
  done: 'done',
  close: 'close',
  reopen: 'reopen',
  minutes: 'minutes',
  publish: 'publish',
} as const;

export type VerbName = (typeof Verb)[keyof typeof Verb];

export const ALL_VERBS: readonly string[] = Object.values(Verb);

/** Which card an action was clicked on: an Action.Execute answer re-renders that card. */
export type CardKind = 'help' | 'welcome' | 'meeting' | 'agenda' | 'item' | 'actions' | 'minutes' | 'publish';
