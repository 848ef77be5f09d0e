// English strings, used when the activity's locale starts with "en". Same shape as nl.ts.
// Command words are the English aliases from the conversation contract; the bot accepts both languages.
import { longDate } from '../meeting/dates';
import { OUTCOME_WORDS } from '../meeting/outcomes';
import type { RecordKind } from '../meeting/types';
import type { Strings } from './nl';

type P = Record<string, string | number>;

/** The domain's field names, as English users read them. */
const FIELDS: Record<string, string> = {
  onBehalfOf: 'on behalf of',
  note: 'minutes note',
  chairName: 'chair',
  secretaryName: 'secretary',
};
const fields = (p: P) =>
  String(p.field ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((f) => FIELDS[f] ?? f)
    .join(', ');

const RECORD_KIND: Record<RecordKind, string> = {
  decision: 'decision',
  action: 'action',
  announcement: 'announcement',
  question: 'question',
  note: 'note',
};

const day = (p: P) => (p.date ? longDate(String(p.date), 'en') : '');
const cap = (s: string) => s.replace(/^./, (c) => c.toUpperCase());
const outcomes = Object.fromEntries(Object.entries(OUTCOME_WORDS).map(([k, v]) => [k, v.en])) as Strings['outcome'];

export const en: Strings = {
  lang: 'en',
  errors: {
    noMeeting: () => 'There is no meeting in this chat yet. Plan one with `meeting`, or the "Plan a meeting" button under `help`.',
    meetingOpen: (p: P) => `A meeting is already planned (${p.title}, ${day(p)}). Only its chair or secretary can plan the next one.`,
    meetingClosed: (p: P) =>
      `The meeting${p.date ? ` of ${day(p)}` : ''} is closed; nothing more can be recorded.${
        p.canReopen ? ' You can reopen it with `reopen`.' : ' The chair or the secretary can reopen it.'
      }`,
    notClosed: () => 'The meeting has not been closed yet.',
    notStarted: () => 'The meeting has not started yet. The chair or secretary can start it with `start`.',
    onlyChairOrSecretary: () => 'Only the chair or the secretary can do this.',
    onlySecretary: () => "Only this meeting's secretary can do this.",
    onlyChairSecretaryOrOwner: () => 'Only the chair, the secretary or the owner of the action can mark it done.',
    unknownItem: (p: P) => `Item "${p.code}" is not on the agenda. Use \`agenda\` to see the items.`,
    noCurrentItem: () => 'There is no current agenda item. Name the item, for example `note D1: text`.',
    noAgenda: () => 'The agenda is still empty. Set it with `agenda` and one line per item: `<code> <title>`.',
    duplicateCode: (p: P) => `Item ${p.code} appears twice; each code can only be used once.`,
    itemHasRecords: (p: P) =>
      `Item ${p.code} already has notes, decisions or actions, so it can't be removed from the agenda. Keep it on the new agenda.`,
    emptyText: (p: P) => `Please add the text${p.field ? ` (${fields(p)})` : ''}, for example \`announcement: text\`.`,
    tooLong: (p: P) => `That text is too long${p.field ? ` (${fields(p)})` : ''}: ${p.max} characters at most.`,
    tooMany: (p: P) => `That's too many: ${p.max} at most.`,
    invalidDate: (p: P) => `"${p.value}" is not a valid date. Write the date as dd-mm-yyyy, for example 10-10-2016.`,
    invalidTime: (p: P) => `"${p.value}" is not a valid time. Write the time as hh:mm-hh:mm, for example 10:30-12:00.`,
    invalidUrl: (p: P) => `"${p.value}" is not a valid link (only http or https).`,
    missingField: (p: P) => `Something is missing: ${fields(p)}${p.value ? ` (at "${p.value}")` : ''}.`,
    unknownAction: (p: P) => `Action ${p.number} doesn't exist. See the open actions with \`actions\`.`,
    actionAlreadyDone: (p: P) => `Action ${p.number} is already done.`,
    endOfAgenda: () => 'This is the last agenda item. Close the meeting with `close`.',
    startOfAgenda: () => 'This is the first agenda item.',
    staleCard: () => 'This card is out of date. Get the current agenda with `agenda`.',
    nothingToReopen: () => 'There is no closed meeting to reopen (adopted minutes stay closed).',
    noMeetingOn: (p: P) => `There is no meeting on ${day(p)} in this chat.`,
    dateTaken: (p: P) =>
      `A meeting is already planned on ${day(p)} (${p.title}). Change it with \`edit meeting\` and only the lines that differ.`,
    notCancellable: (p: P) =>
      p.date
        ? `The meeting of ${day(p)} has started or been held and can no longer be cancelled.`
        : 'There is no planned meeting to cancel.',
    otherRunning: (p: P) => `The meeting of ${day(p)} is still in progress. Close it first with \`close\`.`,
    minutesAdopted: (p: P) => `The minutes of ${day(p)} have been adopted and can no longer be changed.`,
    meetingFull: (p: P) => `This meeting has reached its limit (${p.max} records or the text limit). Nothing was added.`,
    unknownRecord: (p: P) =>
      `${cap(RECORD_KIND[p.kind as RecordKind] ?? 'That')} ${p.number} doesn't exist in this meeting. The numbers are on the cards and in the confirmations.`,
    onlyChairSecretaryOrAuthor: () => 'Only the chair, the secretary or whoever submitted it can change or remove this.',
    closeFirst: (p: P) => `The meeting of ${day(p)} is still in progress. Close it first with \`close\`; then you can publish.`,
  },
  input: {
    tooLong: (max: number) => `This message is too long (more than ${max} characters). Please split it up.`,
    unknownCommand: (word: string) => `Sorry, I didn't understand that${word ? ` ("${word}")` : ''}. Type \`help\` to see what you can do.`,
    badCardData: () => 'This card action is invalid or out of date. Get a fresh card with `agenda` or `help`.',
    chairNeedsMention: () => 'Mention the chair with an @mention: `chair @name`.',
    meetingNeedsFields: (fields: string) =>
      `Please also fill in: ${fields}. For example:\nmeeting\ntitle: DVO\ndate: 10-10-2016\ntime: 10:30-12:00`,
    proposalNeedsCode: () => 'Name the agenda item: `proposal <code>` with the text of the proposal below it.',
    actionNeedsOwner: () => 'Write the action as `action Name: what needs to happen [due dd-mm-yyyy]`.',
    doneNeedsNumber: () => 'Give the number of the action: `done 3`. The numbers are listed under `actions`.',
    itemNeedsCode: () => 'Name the agenda item: `item D1`.',
    correctionNeedsRecord: () =>
      'Name what to change and its number: `edit decision 2: new text [agreed]` or `remove announcement 3`. Kinds: decision, action, announcement, question, note.',
    slowDown: () => 'You are sending a lot of messages in a short time. Please wait a moment and try again; nothing was recorded.',
    error: () => 'Something went wrong while processing that. Nothing was lost; please try again in a moment.',
  },
  done: {
    planned: (title: string, date: string) => `Meeting "${title}" planned on ${date}. You are its secretary.`,
    meetingChanged: (title: string) => `The details of "${title}" have been changed.`,
    cancelled: (title: string, date: string) => `The meeting "${title}" of ${date} has been cancelled.`,
    chairSet: (name: string) => `${name} chairs this meeting.`,
    agendaSet: (n: number) => `Agenda set with ${n} ${n === 1 ? 'item' : 'items'}.`,
    proposalAttached: (code: string) => `Proposal attached to item ${code}.`,
    proposalMissing: (fields: string) => `Not found in the proposal: ${fields}. The text has been kept.`,
    proposalClosed: (code: string) => `The proposal is not public: item ${code} is now closed.`,
    started: (code: string) => `The meeting has started${code ? `; the first item is ${code}` : ''}.`,
    startedBanner: () => 'The meeting has started.',
    moved: (code: string, title: string) => `Now: ${code} ${title}.`,
    itemPosted: (code: string) => `The current item (${code}) is at the bottom of the chat.`,
    present: (n: number) => `${n} ${n === 1 ? 'person' : 'people'} recorded as present.`,
    absent: (n: number) => `${n} ${n === 1 ? 'person' : 'people'} recorded as absent.`,
    apologies: (name: string) => `${name} has sent apologies.`,
    selfPresent: (name: string) => `${name} is recorded as present.`,
    announcement: (n: string, author: string) => `Announcement ${n} by ${author} recorded.`,
    question: (n: string, author: string) => `Question ${n} by ${author} recorded.`,
    note: (n: string, code: string) => `Note ${n} on item ${code} recorded.`,
    decision: (n: string, code: string) => `Decision ${n} on item ${code} recorded.`,
    adopted: (date: string) => `The minutes of ${date} have been adopted.`,
    action: (n: string, owner: string) => `Action ${n} for ${owner} recorded.`,
    actionDone: (n: string) => `Action ${n} is done.`,
    corrected: (kind: string, n: string) => `${cap(kind)} ${n} has been changed.`,
    removed: (kind: string, n: string) => `${cap(kind)} ${n} has been removed.`,
    closed: (date: string) =>
      `The meeting of ${date} is closed. Next step for the secretary: review the minutes with \`minutes\` and publish them with \`publish\`.`,
    reopened: () => 'The meeting has been reopened.',
    publishStarted: () => 'Publishing has started; the progress is at the bottom of the chat.',
    publishBusy: () => 'The minutes are already being published; the result will follow in the chat.',
    meetingEnded: (secretary: string) =>
      `The meeting has ended. ${secretary}, review the minutes with \`minutes\` and publish them with \`publish\`.`,
  },
  outcome: outcomes,
  recordKind: RECORD_KIND,
  kind: {
    opening: 'opening',
    announcements: 'announcements',
    previousMinutes: 'previous minutes',
    discussion: 'for discussion',
    decision: 'for decision',
    information: 'for information',
    questionRound: 'any other business',
    closing: 'closing',
  },
  status: { planned: 'planned', running: 'in progress', closed: 'closed' },
  card: {
    welcomeTitle: 'Notulist',
    welcomeText:
      "I am your meeting's secretariat: I keep the agenda, record announcements, decisions and action items, and write the minutes. Plan a meeting below, or type help.",
    helpTitle: 'What you can do now',
    helpRole: (role: string, meeting: string) => `You are the ${role}${meeting ? ` of ${meeting}` : ''}.`,
    helpNoMeeting: 'There is no meeting in this chat yet.',
    helpEveryone: 'For everyone',
    helpChair: 'For the chair and the secretary',
    helpSecretary: 'For the secretary',
    roles: { secretary: 'secretary', chair: 'chair', member: 'member' },
    meetingTitle: 'Meeting',
    date: 'Date',
    time: 'Time',
    location: 'Location',
    chair: 'Chair',
    secretary: 'Secretary',
    members: 'Members',
    present: 'Present',
    absent: 'Absent',
    status: 'Status',
    nextSteps: 'Next step',
    nextStepAgenda: 'Set the agenda with "Set agenda", or type agenda with one line per item.',
    nextStepChair: 'Appoint the chair: type chair and @mention them.',
    nextStepChairNamed: (name: string) => `Give ${name} the chair's rights: type chair and @mention ${name}.`,
    nextStepStart: 'Start the meeting with the "Start" button or type start.',
    previousMinutesOffered: (date: string) => `The minutes of ${date} will be on the agenda for adoption.`,
    openActionsCarried: (n: number) => `${n} open ${n === 1 ? 'action' : 'actions'} from earlier meetings.`,
    cancelTitle: 'Cancel the meeting?',
    cancelQuestion: (title: string, date: string, contributions: number) =>
      `"${title}" of ${date} will be cancelled and removed from this chat entirely${
        contributions
          ? `, with ${contributions} registered ${contributions === 1 ? 'announcement or question' : 'announcements and questions'}`
          : ''
      }. This cannot be undone.`,
    cancelMember: 'The secretary is considering cancelling this planned meeting.',
    agendaTitle: 'Agenda',
    itemState: { done: 'done', current: 'now', todo: '' },
    closedTag: 'closed',
    page: (from: number, to: number, total: number) => `Items ${from}–${to} of ${total}`,
    showItems: (from: number, to: number) => `Show ${from}–${to}`,
    noAgendaYet: 'The agenda is still empty.',
    agendaMoved: 'This agenda was replaced by a newer one, at the bottom of the chat.',
    timeUsed: (used: number, planned?: number) => (planned ? `${used} of ${planned} min` : `${used} min`),
    itemOf: (n: number, of: number) => `Item ${n} of ${of}`,
    lastChange: (at: string, what: string) => `Last recorded at ${at}: ${what.replace(/^./, (c) => c.toLowerCase())}.`,
    itemRunning: (since: string, minutes: number) => `Current since ${since} (${minutes} min)`,
    itemRetired: 'This item is no longer current. The current item is at the bottom of the chat.',
    meetingClosedNotice: 'The meeting is closed.',
    nextStepMinutes: 'Next step: the secretary reviews the minutes and publishes them.',
    closedItemNotice: 'Closed item: only the chair and the secretary see what is recorded here.',
    closeQuestion: 'Close the meeting? Nothing more can be recorded afterwards, unless you reopen it.',
    kind: 'Kind',
    portfolioHolder: 'Portfolio holder',
    handledBy: 'Handled by',
    proposal: 'Proposal',
    advice: 'Advice',
    attachments: 'Attachments',
    notes: 'Notes',
    decisions: 'Decisions',
    actions: 'Actions',
    announcements: 'Announcements',
    questions: 'Any other business',
    decisionLabel: (n: string) => `Decision ${n}`,
    actionLabel: (n: string) => `Action ${n}`,
    noteLabel: (n: string) => `Note ${n}`,
    announcementLabel: (n: string) => `Announcement ${n}`,
    questionLabel: (n: string) => `Question ${n}`,
    previousMinutesOf: (date: string) => `Minutes of ${date} for adoption`,
    truncated: (shown: number, total: number) => `(shortened: ${shown} of ${total} characters; the full text is in the minutes)`,
    nothingRecorded: 'Nothing recorded yet.',
    actionsTitle: 'Open actions',
    noOpenActions: 'There are no open actions.',
    due: (date: string) => `due ${date}`,
    minutesTitle: 'Minutes (draft)',
    minutesAdopted: (date: string) => `adopted on ${date}`,
    minutesConcept: 'draft',
    minutesLong: (chars: number) =>
      `The full minutes are ${chars} characters; above is a summary. The full text is in the documents once published.`,
    minutesLongLinked: (chars: number) =>
      `The full minutes are ${chars} characters; above is a summary. The full text is behind "Full text".`,
    fullText: 'Full text',
    fullTextClosed: 'With the closed part (confidential)',
    moreItems: (n: number) => `and ${n} more items (see the documents)`,
    decisionsCount: (n: number) => `${n} ${n === 1 ? 'decision' : 'decisions'}`,
    actionsCount: (n: number) => `${n} ${n === 1 ? 'action' : 'actions'}`,
    publishTitle: (title: string) => `Minutes: ${title}`,
    publishing: 'The minutes are being published…',
    published: (where: string) => `The minutes have been published ${where}.`,
    publishFailed: (why: string) => `Publishing failed: ${why}. Nothing was lost; please try again later with "Publish".`,
    publishedFiles: 'Files',
    closedWent: (where: string, records: 'register' | 'lists' | 'documentOnly') =>
      `The closed part is kept apart, in ${where}${records === 'lists' ? ', with the closed decisions and actions in lists of their own' : records === 'register' ? ', with a register of its own' : '; the closed decisions and actions are in that document only'}.`,
    actionsList: 'Action list',
    whereFolder: 'to the minutes folder',
    whereSharePoint: 'to SharePoint',
    formTitle: 'Title',
    formDate: 'Date',
    formFrom: 'From',
    formTo: 'To',
    formLocation: 'Location',
    formChair: 'Chair (name as in the minutes)',
    formMembers: 'Members, separated by commas',
    formItemTimes: 'Time per agenda item in the minutes',
    formAnnouncement: 'Announcement',
    formQuestion: 'Question for any other business',
    formDecision: 'Decision',
    formNote: 'Note',
    formAction: 'What needs to happen?',
    formOnBehalf: 'On behalf of (empty: yourself)',
    formOwner: 'Who',
    formDue: 'Due by',
    formOutcome: 'Outcome',
    formNames: 'Names, separated by commas',
    formAgenda: 'One line per item: code and title, for example "D1 Budget [for decision]"',
    formItem: 'Agenda item',
    formRecord: 'What would you like to correct?',
    formCorrection: 'New text (as you would type it, with [outcome] or Name: …)',
    formWhichAction: 'Which action is done?',
    required: 'This field is required.',
    recordedBy: (name: string) => `by ${name}`,
  },
  actions: {
    help: 'Help',
    allCommands: 'All commands',
    planMeeting: 'Plan a meeting',
    plan: 'Plan',
    editMeeting: 'Change',
    saveChanges: 'Save changes',
    cancel: 'Cancel meeting',
    cancelConfirm: 'Yes, cancel the meeting',
    agenda: 'Agenda',
    start: 'Start',
    next: 'Next',
    previous: 'Previous',
    goTo: 'Go to item',
    currentItem: 'Current item',
    setAgenda: 'Set agenda',
    announcement: 'Announcement',
    question: 'Question',
    apologies: 'Send apologies',
    present: "I'm present",
    attendance: 'Attendance',
    note: 'Note',
    decision: 'Decision',
    action: 'Action',
    correct: 'Correct',
    remove: 'Remove',
    actions: 'Actions',
    done: 'Mark done',
    close: 'Close',
    closeConfirm: 'Yes, close the meeting',
    reopen: 'Reopen',
    minutes: 'Minutes',
    publish: 'Publish',
    save: 'Save',
    more: 'More',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    presentBtn: 'Present',
    absentBtn: 'Absent',
  },
  draftPage: {
    title: (meeting: string) => `Draft minutes ${meeting}`,
    notice: (adopted: boolean) =>
      adopted ? 'These minutes have been adopted.' : 'Draft: these minutes have not been adopted yet and may still change.',
    expires: (date: string) => `This link works up to and including ${date}.`,
    download: (part: string) => `Download ${part} (.docx)`,
    goneTitle: 'Minutes not available',
    gone: {
      invalid: 'This link is not valid. Ask for the minutes again in the chat.',
      expired: 'This link has expired. Ask for the minutes again in the chat with the command minutes.',
      gone: 'This meeting no longer exists in the chat.',
    },
    confidentialFor: (name: string) => `CONFIDENTIAL – for ${name}`,
    fullNotice: 'This page also shows the closed part. The link is for you only: do not forward it.',
    publicNotice: 'This page shows the public part of the minutes.',
    expiresFull: (when: string) => `This link works until ${when} and ends as soon as the minutes are published.`,
    changesTitle: 'Changes to the record',
    changesColumns: { at: 'When', by: 'By', what: 'What', before: 'Was', after: 'Now' },
    changeKinds: {
      decision: 'Decision',
      action: 'Action',
      announcement: 'Announcement',
      question: 'Question',
      note: 'Note',
      meeting: 'Meeting',
    },
    changeTypes: { edited: 'edited', removed: 'removed' },
  },
  help: {
    now: (role, status) => {
      if (!status)
        return [
          'Plan a meeting with the button below. You will be its secretary.',
          'Then set the agenda, appoint the chair, and the chair starts the meeting.',
        ];
      if (role === 'member')
        return status === 'closed'
          ? ['The meeting is closed. See the draft minutes with "Minutes".']
          : [
              'Register an announcement or a question for any other business, before or during the meeting: type announcement: text or question: text, or use the buttons on the agenda.',
              "Can't make it? Type apologies.",
            ];
      if (status === 'planned')
        return [
          'Set the agenda (agenda with one line per item), attach proposals (proposal D1 with the text below) and appoint the chair (chair @name).',
          'Start the meeting with the "Start" button on the agenda.',
        ];
      if (status === 'running')
        return [
          "Run the meeting from the current item's card: Decision, Note, Action and Next.",
          'You can also type: decision: text [agreed], note: text, action Name: text [due dd-mm-yyyy], next.',
          'Close with "Close" (after confirming) or type close.',
        ];
      return role === 'secretary'
        ? ['Review the draft minutes with "Minutes", correct where needed (edit decision 2: …) and publish with "Publish".']
        : ['The meeting is closed. The secretary publishes the minutes.'];
    },
    everyone: [
      ['agenda', 'the agenda with the current item'],
      ['announcement: text', 'an announcement; also announcement on behalf of Name: text'],
      ['question: text', 'a question for any other business'],
      ['apologies', 'send your apologies'],
      ['actions', 'the open actions of every meeting'],
      ['done 3', 'mark your own action 3 done'],
      ['edit announcement 2: text', 'change your own announcement or question; remove announcement 2 takes it out'],
      ['minutes', 'the draft minutes; minutes dd-mm-yyyy for another meeting'],
      ['meeting', 'plan a meeting, with lines title:, date:, time:, location:, chair:, members:'],
    ],
    chair: [
      [
        'agenda + lines',
        'set the agenda: code and title per line, with [closed], [for decision], [portfolio holder: Name], [attachment: title | url]',
      ],
      ['proposal D1 + text', 'attach a proposal to an item'],
      ['chair @name', 'appoint the chair'],
      ['start', 'open the meeting'],
      ['next, previous, item D1', 'go to another agenda item'],
      ['present: names, absent: names', 'record attendance'],
      ['note: text', 'a note on the current item, or note D1: text'],
      ['decision: text [agreed]', 'a decision, with [agreed], [agreed with changes], [deferred], [rejected], [adopted] or [noted]'],
      ['action Name: text [due dd-mm-yyyy]', 'an action item'],
      ['edit decision 2: text', 'correct a decision, action, announcement, question or note; remove decision 2 takes it out'],
      ['close, reopen', 'close or reopen the meeting'],
    ],
    secretary: [
      ['edit meeting + lines', 'change only the details given, for example location: Hengelo; item times: yes'],
      ['cancel', 'cancel a planned meeting (after confirming)'],
      ['publish', 'publish the minutes of the closed meeting; publish dd-mm-yyyy for another'],
    ],
  },
};
