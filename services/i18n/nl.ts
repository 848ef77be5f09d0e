// Every user-facing string in Dutch, the primary language, in the formal "u". en.ts has the same shape.
// Replies (errors, input, done) are Teams markdown: `code` shows a command to type. Card texts are
// shown verbatim and carry no markup.
import { clockText, longDate } from '../meeting/dates';
import type { DomainErrorCode } from '../meeting/errors';
import { OUTCOME_WORDS } from '../meeting/outcomes';
import type { MeetingStatus, RecordKind } from '../meeting/types';

type P = Record<string, string | number>;
type Role = 'secretary' | 'chair' | 'member';

/** The domain names fields in English ("title, date"); users read them in their language. */
const FIELDS: Record<string, string> = {
  title: 'titel',
  date: 'datum',
  code: 'code',
  text: 'tekst',
  members: 'leden',
  present: 'aanwezig',
  absent: 'afwezig',
  name: 'naam',
  onBehalfOf: 'namens',
  announcement: 'mededeling',
  question: 'rondvraag',
  note: 'verslag',
  decision: 'besluit',
  owner: 'wie',
  action: 'actie',
  proposal: 'voorstel',
  location: 'locatie',
  houseBody: 'orgaan',
  houseLine: 'kopregel',
  houseLogo: 'logo',
  chairName: 'voorzitter',
  secretaryName: 'secretaris',
};
const fields = (p: P) =>
  String(p.field ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .map((f) => FIELDS[f] ?? f)
    .join(', ');

const RECORD_KIND: Record<RecordKind, string> = {
  decision: 'besluit',
  action: 'actie',
  announcement: 'mededeling',
  question: 'rondvraag',
  note: 'verslag',
};

const day = (p: P) => (p.date ? longDate(String(p.date), 'nl') : '');
const outcomes = Object.fromEntries(Object.entries(OUTCOME_WORDS).map(([k, v]) => [k, v.nl])) as Record<keyof typeof OUTCOME_WORDS, string>;

export const nl = {
  lang: 'nl' as 'nl' | 'en',
  errors: {
    noMeeting: () =>
      'Er is nog geen vergadering in deze chat. Plan er een met `vergadering` of de knop "Vergadering plannen" onder `help`.',
    meetingOpen: (p: P) =>
      `Er is al een vergadering gepland (${p.title}, ${day(p)}). Alleen de voorzitter of de secretaris daarvan kan een volgende plannen.`,
    meetingClosed: (p: P) =>
      `De vergadering${p.date ? ` van ${day(p)}` : ''} is gesloten; er kan niets meer worden vastgelegd.${
        p.canReopen ? ' U kunt haar heropenen met `heropenen`.' : ' De voorzitter of de secretaris kan haar heropenen.'
      }`,
    notClosed: () => 'De vergadering is nog niet gesloten.',
    notStarted: () => 'De vergadering is nog niet gestart. De voorzitter of de secretaris start haar met `start`.',
    onlyChairOrSecretary: () => 'Alleen de voorzitter of de secretaris mag dit doen.',
    onlySecretary: () => 'Alleen de secretaris van deze vergadering mag dit doen.',
    onlyChairSecretaryOrOwner: () => 'Alleen de voorzitter, de secretaris of de eigenaar van de actie mag die gereed melden.',
    unknownItem: (p: P) => `Agendapunt "${p.code}" staat niet op de agenda. Bekijk de punten met \`agenda\`.`,
    noCurrentItem: () => 'Er is geen huidig agendapunt. Noem het punt, bijvoorbeeld `verslag D1: tekst`.',
    noAgenda: () => 'Er staat nog niets op de agenda. Zet de agenda met `agenda` en één regel per punt: `<code> <titel>`.',
    duplicateCode: (p: P) => `Agendapunt ${p.code} komt twee keer voor; elke code mag één keer voorkomen.`,
    itemHasRecords: (p: P) =>
      `Agendapunt ${p.code} heeft al verslag, besluiten of acties en kan daarom niet van de agenda. Houd het punt op de nieuwe agenda.`,
    emptyText: (p: P) => `Geeft u ook de tekst${p.field ? ` (${fields(p)})` : ''}, bijvoorbeeld \`mededeling: tekst\`.`,
    tooLong: (p: P) => `Die tekst is te lang${p.field ? ` (${fields(p)})` : ''}: hoogstens ${p.max} tekens.`,
    tooMany: (p: P) => `Dat zijn er te veel: hoogstens ${p.max}.`,
    invalidDate: (p: P) => `"${p.value}" is geen bestaande datum. Schrijf de datum als dd-mm-jjjj, bijvoorbeeld 10-10-2016.`,
    unknownLogo: (p: P) =>
      p.names
        ? `Er is geen logo "${p.value}". Kies uit: ${p.names}.`
        : `Er is geen logo "${p.value}": deze installatie heeft geen logo's om uit te kiezen.`,
    invalidTime: (p: P) => `"${p.value}" is geen geldige tijd. Schrijf de tijd als uu:mm-uu:mm, bijvoorbeeld 10:30-12:00.`,
    invalidUrl: (p: P) => `"${p.value}" is geen geldige link (alleen http of https).`,
    missingField: (p: P) => `Er ontbreekt iets: ${fields(p)}${p.value ? ` (bij "${p.value}")` : ''}.`,
    unknownAction: (p: P) => `Actie ${p.number} bestaat niet. Bekijk de open acties met \`acties\`.`,
    actionAlreadyDone: (p: P) => `Actie ${p.number} is al gereed.`,
    endOfAgenda: () => 'Dit is het laatste agendapunt. Sluit de vergadering met `sluiten`.',
    startOfAgenda: () => 'Dit is het eerste agendapunt.',
    staleCard: () => 'Deze kaart is niet meer actueel. De actuele agenda krijgt u met `agenda`.',
    nothingToReopen: () => 'Er is geen gesloten vergadering om te heropenen (vastgestelde besluitenlijsten blijven dicht).',
    noMeetingOn: (p: P) => `Er is geen vergadering op ${day(p)} in deze chat.`,
    dateTaken: (p: P) =>
      `Op ${day(p)} staat al een vergadering gepland (${p.title}). Wijzig die met \`wijzig vergadering\` en alleen de regels die anders moeten.`,
    notCancellable: (p: P) =>
      p.date
        ? `De vergadering van ${day(p)} is al begonnen of gehouden en kan niet meer worden geannuleerd.`
        : 'Er is geen geplande vergadering om te annuleren.',
    otherRunning: (p: P) => `De vergadering van ${day(p)} loopt nog. Sluit die eerst met \`sluiten\`.`,
    minutesAdopted: (p: P) => `De besluitenlijst van ${day(p)} is vastgesteld en kan niet meer worden gewijzigd.`,
    meetingFull: (p: P) => `Deze vergadering heeft het maximum bereikt (${p.max} vastleggingen of de tekstlimiet). Er is niets toegevoegd.`,
    unknownRecord: (p: P) =>
      `${RECORD_KIND[p.kind as RecordKind] ?? 'Dat'} ${p.number} bestaat niet in deze vergadering. De nummers staan op de kaarten en in de bevestigingen.`.replace(
        /^./,
        (c) => c.toUpperCase(),
      ),
    onlyChairSecretaryOrAuthor: () => 'Alleen de voorzitter, de secretaris of wie het heeft ingediend mag dit wijzigen of verwijderen.',
    closeFirst: (p: P) => `De vergadering van ${day(p)} loopt nog. Sluit haar eerst met \`sluiten\`; daarna kunt u publiceren.`,
  } satisfies Record<DomainErrorCode, (p: P) => string>,
  input: {
    tooLong: (max: number) => `Dit bericht is te lang (meer dan ${max} tekens). Splitst u het op?`,
    unknownCommand: (word: string) => `Dat begrijp ik niet${word ? ` ("${word}")` : ''}. Typ \`help\` voor wat u kunt doen.`,
    badCardData: () => 'Deze kaartactie is ongeldig of verouderd. Vraag de kaart opnieuw op met `agenda` of `help`.',
    chairNeedsMention: () => 'Noem de voorzitter met een @vermelding: `voorzitter @naam`.',
    memberNeedsMention: () => 'Noem het lid met een @vermelding en de naam uit de ledenlijst: `lid @naam: M. Stegers`.',
    meetingNeedsFields: (fields: string) =>
      `Vul ook in: ${fields}. Bijvoorbeeld:\nvergadering\ntitel: DVO\ndatum: 10-10-2016\ntijd: 10:30-12:00`,
    proposalNeedsCode: () => 'Noem het agendapunt: `voorstel <code>` en daaronder de tekst van het voorstel.',
    actionNeedsOwner: () => 'Schrijf de actie als `actie Naam: wat er moet gebeuren [voor dd-mm-jjjj]`.',
    doneNeedsNumber: () => 'Noem het nummer van de actie: `gereed 3`. De nummers staan bij `acties`.',
    itemNeedsCode: () => 'Noem het agendapunt: `punt D1`.',
    correctionNeedsRecord: () =>
      'Noem wat u wilt wijzigen en het nummer: `wijzig besluit 2: nieuwe tekst [akkoord]` of `verwijder mededeling 3`. Soorten: besluit, actie, mededeling, rondvraag, verslag.',
    slowDown: () => 'U stuurt veel berichten kort na elkaar. Wacht u even en probeer het dan opnieuw; er is niets vastgelegd.',
    error: () => 'Er ging iets mis bij het verwerken. Er is niets verloren; probeert u het zo nog eens.',
  },
  done: {
    planned: (title: string, date: string) => `Vergadering "${title}" gepland op ${date}. U bent de secretaris.`,
    meetingChanged: (title: string) => `De gegevens van "${title}" zijn gewijzigd.`,
    cancelled: (title: string, date: string) => `De vergadering "${title}" van ${date} is geannuleerd.`,
    chairSet: (name: string) => `${name} is voorzitter van deze vergadering.`,
    memberNameSet: (display: string, listed: string) => `${display} heet in de besluitenlijst voortaan ${listed}.`,
    agendaSet: (n: number) => `Agenda gezet met ${n} ${n === 1 ? 'punt' : 'punten'}.`,
    proposalAttached: (code: string) => `Voorstel gekoppeld aan agendapunt ${code}.`,
    proposalMissing: (fields: string) => `Niet gevonden in het voorstel: ${fields}. De tekst is wel bewaard.`,
    proposalClosed: (code: string) => `Het voorstel is niet openbaar: agendapunt ${code} is nu besloten.`,
    started: (code: string) => `De vergadering is geopend${code ? `; het eerste punt is ${code}` : ''}.`,
    startedBanner: () => 'De vergadering is geopend.',
    moved: (code: string, title: string) => `Nu aan de orde: ${code} ${title}.`,
    itemPosted: (code: string) => `Het huidige punt (${code}) staat onderaan in de chat.`,
    present: (n: number) => `${n} ${n === 1 ? 'persoon' : 'personen'} als aanwezig genoteerd.`,
    absent: (n: number) => `${n} ${n === 1 ? 'persoon' : 'personen'} als afwezig genoteerd.`,
    apologies: (name: string) => `${name} is afgemeld.`,
    selfPresent: (name: string) => `${name} is als aanwezig genoteerd.`,
    announcement: (n: string, author: string) => `Mededeling ${n} van ${author} vastgelegd.`,
    question: (n: string, author: string) => `Rondvraag ${n} van ${author} vastgelegd.`,
    note: (n: string, code: string) => `Verslag ${n} bij agendapunt ${code} vastgelegd.`,
    decision: (n: string, code: string) => `Besluit ${n} bij agendapunt ${code} vastgelegd.`,
    adopted: (date: string) => `De besluitenlijst van ${date} is vastgesteld.`,
    action: (n: string, owner: string) => `Actie ${n} voor ${owner} vastgelegd.`,
    actionDone: (n: string) => `Actie ${n} is gereed.`,
    corrected: (kind: string, n: string) => `${kind.replace(/^./, (c) => c.toUpperCase())} ${n} is gewijzigd.`,
    removed: (kind: string, n: string) => `${kind.replace(/^./, (c) => c.toUpperCase())} ${n} is verwijderd.`,
    closed: (date: string) =>
      `De vergadering van ${date} is gesloten. Volgende stap voor de secretaris: bekijk de besluitenlijst met \`besluitenlijst\` en publiceer haar met \`publiceren\`.`,
    reopened: () => 'De vergadering is heropend.',
    publishStarted: () => 'Publiceren is gestart; de voortgang staat onderaan in de chat.',
    publishBusy: () => 'De besluitenlijst wordt al gepubliceerd; de uitkomst volgt in de chat.',
    meetingEnded: (secretary: string) =>
      `De vergadering is afgelopen. ${secretary}, bekijk de besluitenlijst met \`besluitenlijst\` en publiceer haar met \`publiceren\`.`,
  },
  outcome: outcomes,
  recordKind: RECORD_KIND,
  kind: {
    opening: 'opening',
    announcements: 'mededelingen',
    previousMinutes: 'vorige besluitenlijst',
    discussion: 'ter bespreking',
    decision: 'ter besluitvorming',
    information: 'ter kennisgeving',
    questionRound: 'rondvraag',
    closing: 'sluiting',
  },
  status: { planned: 'gepland', running: 'bezig', closed: 'gesloten' } as Record<MeetingStatus, string>,
  card: {
    welcomeTitle: 'Notulist',
    welcomeText:
      'Ik ben het secretariaat van uw vergadering: ik houd de agenda bij, leg mededelingen, besluiten en acties vast en maak de besluitenlijst. Plan hieronder een vergadering, of typ help.',
    helpTitle: 'Wat u nu kunt doen',
    helpRole: (role: string, meeting: string) => `U bent ${role}${meeting ? ` van ${meeting}` : ''}.`,
    helpNoMeeting: 'Er is nog geen vergadering in deze chat.',
    helpEveryone: 'Voor iedereen',
    helpChair: 'Voor voorzitter en secretaris',
    helpSecretary: 'Voor de secretaris',
    roles: { secretary: 'secretaris', chair: 'voorzitter', member: 'lid' } as Record<Role, string>,
    meetingTitle: 'Vergadering',
    date: 'Datum',
    time: 'Tijdstip',
    location: 'Locatie',
    chair: 'Voorzitter',
    secretary: 'Secretaris',
    members: 'Leden',
    present: 'Aanwezig',
    absent: 'Afwezig',
    status: 'Status',
    nextSteps: 'Volgende stap',
    nextStepAgenda: 'Zet de agenda met "Agenda zetten", of typ agenda met één regel per punt.',
    nextStepChair: 'Wijs de voorzitter aan: typ voorzitter en vermeld hem of haar met @.',
    nextStepChairNamed: (name: string) => `Geef ${name} de rechten van voorzitter: typ voorzitter en vermeld ${name} met @.`,
    nextStepStart: 'Start de vergadering met de knop "Start" of typ start.',
    previousMinutesOffered: (date: string) => `De besluitenlijst van ${date} komt op de agenda ter vaststelling.`,
    openActionsCarried: (n: number) => `${n} open ${n === 1 ? 'actie' : 'acties'} uit eerdere vergaderingen.`,
    cancelTitle: 'Vergadering annuleren?',
    cancelQuestion: (title: string, date: string, contributions: number) =>
      `"${title}" van ${date} wordt geannuleerd en verdwijnt helemaal uit deze chat${
        contributions
          ? `, met ${contributions} aangemelde ${contributions === 1 ? 'mededeling of rondvraag' : 'mededelingen en rondvragen'}`
          : ''
      }. Dit kan niet ongedaan worden gemaakt.`,
    cancelMember: 'De secretaris overweegt deze geplande vergadering te annuleren.',
    agendaTitle: 'Agenda',
    itemState: { done: 'behandeld', current: 'nu', todo: '' },
    closedTag: 'besloten',
    page: (from: number, to: number, total: number) => `Punten ${from}–${to} van ${total}`,
    showItems: (from: number, to: number) => `Toon ${from}–${to}`,
    noAgendaYet: 'De agenda is nog leeg.',
    agendaMoved: 'Deze agenda is vervangen door een nieuwere, onderaan in de chat.',
    timeUsed: (used: number, planned?: number) => (planned ? `${used} van ${planned} min` : `${used} min`),
    itemOf: (n: number, of: number) => `Agendapunt ${n} van ${of}`,
    lastChange: (at: string, what: string) => `Laatst vastgelegd om ${clockText(at)} uur: ${what.replace(/^./, (c) => c.toLowerCase())}.`,
    itemRunning: (since: string, minutes: number) => `Aan de orde sinds ${clockText(since)} uur (${minutes} min)`,
    itemRetired: 'Dit agendapunt is niet meer aan de orde. Het actuele punt staat onderaan in de chat.',
    meetingClosedNotice: 'De vergadering is gesloten.',
    nextStepMinutes: 'Volgende stap: de secretaris bekijkt de besluitenlijst en publiceert haar.',
    closedItemNotice: 'Besloten punt: alleen de voorzitter en de secretaris zien wat hierbij wordt vastgelegd.',
    closeQuestion: 'De vergadering sluiten? Daarna kan er niets meer worden vastgelegd, tenzij u haar heropent.',
    kind: 'Soort',
    portfolioHolder: 'Portefeuillehouder',
    handledBy: 'Behandeld door',
    proposal: 'Voorstel',
    advice: 'Advies',
    attachments: 'Bijlagen',
    notes: 'Verslag',
    decisions: 'Besluiten',
    actions: 'Acties',
    announcements: 'Mededelingen',
    questions: 'Rondvraag',
    decisionLabel: (n: string) => `Besluit ${n}`,
    actionLabel: (n: string) => `Actie ${n}`,
    noteLabel: (n: string) => `Verslag ${n}`,
    announcementLabel: (n: string) => `Mededeling ${n}`,
    questionLabel: (n: string) => `Rondvraag ${n}`,
    previousMinutesOf: (date: string) => `Besluitenlijst van ${date} ter vaststelling`,
    truncated: (shown: number, total: number) => `(ingekort: ${shown} van ${total} tekens; de volledige tekst staat in de besluitenlijst)`,
    nothingRecorded: 'Nog niets vastgelegd.',
    actionsTitle: 'Open acties',
    noOpenActions: 'Er zijn geen open acties.',
    due: (date: string) => `uiterlijk ${date}`,
    minutesTitle: 'Besluitenlijst (concept)',
    minutesAdopted: (date: string) => `vastgesteld op ${date}`,
    minutesConcept: 'concept',
    minutesLong: (chars: number) =>
      `De volledige besluitenlijst is ${chars} tekens; hierboven een samenvatting. De volledige tekst staat in de documenten na publiceren.`,
    minutesLongLinked: (chars: number) =>
      `De volledige besluitenlijst is ${chars} tekens; hierboven een samenvatting. De volledige tekst staat achter "Volledige tekst".`,
    fullText: 'Volledige tekst',
    fullTextClosed: 'Met besloten deel (vertrouwelijk)',
    moreItems: (n: number) => `en nog ${n} punten (zie de documenten)`,
    decisionsCount: (n: number) => `${n} ${n === 1 ? 'besluit' : 'besluiten'}`,
    actionsCount: (n: number) => `${n} ${n === 1 ? 'actie' : 'acties'}`,
    publishTitle: (title: string) => `Besluitenlijst: ${title}`,
    publishing: 'De besluitenlijst wordt gepubliceerd…',
    published: (where: string) => `De besluitenlijst is gepubliceerd ${where}.`,
    publishFailed: (why: string) => `Publiceren is mislukt: ${why}. Er is niets verloren; probeert u het later opnieuw met "Publiceren".`,
    publishedFiles: 'Bestanden',
    closedWent: (where: string, records: 'register' | 'lists' | 'documentOnly') =>
      `Het besloten deel staat apart, in ${where}${records === 'lists' ? ', met de besloten besluiten en acties in hun eigen lijsten' : records === 'register' ? ', met een eigen register van besluiten en acties' : '; de besloten besluiten en acties staan alleen in dat document'}.`,
    actionsList: 'Actielijst',
    whereFolder: 'in de map met besluitenlijsten',
    whereSharePoint: 'in SharePoint',
    formTitle: 'Titel',
    formDate: 'Datum',
    formFrom: 'Van',
    formTo: 'Tot',
    formLocation: 'Locatie',
    formChair: 'Voorzitter (naam zoals in de besluitenlijst)',
    formMembers: 'Leden, gescheiden door komma’s',
    formItemTimes: 'Tijd per agendapunt in de besluitenlijst',
    formAnnouncement: 'Mededeling',
    formQuestion: 'Vraag voor de rondvraag',
    formDecision: 'Besluit',
    formNote: 'Verslag',
    formAction: 'Wat moet er gebeuren?',
    formOnBehalf: 'Namens (leeg: uzelf)',
    formOwner: 'Wie',
    formDue: 'Uiterlijk op',
    formOutcome: 'Uitkomst',
    formNames: 'Namen, gescheiden door komma’s',
    formAgenda: 'Eén regel per punt: code en titel, bijvoorbeeld "D1 Begroting [ter besluitvorming]"',
    formItem: 'Agendapunt',
    formRecord: 'Wat wilt u corrigeren?',
    formCorrection: 'Nieuwe tekst (zoals u die zou typen, met [uitkomst] of Naam: …)',
    formWhichAction: 'Welke actie is gereed?',
    required: 'Dit veld is verplicht.',
    recordedBy: (name: string) => `door ${name}`,
  },
  actions: {
    help: 'Help',
    allCommands: 'Alle opdrachten',
    planMeeting: 'Vergadering plannen',
    plan: 'Plannen',
    editMeeting: 'Wijzigen',
    saveChanges: 'Wijzigingen opslaan',
    cancel: 'Annuleren',
    cancelConfirm: 'Ja, annuleer de vergadering',
    agenda: 'Agenda',
    start: 'Start',
    next: 'Volgende',
    previous: 'Vorige',
    goTo: 'Ga naar punt',
    currentItem: 'Huidig punt',
    setAgenda: 'Agenda zetten',
    announcement: 'Mededeling',
    question: 'Rondvraag',
    apologies: 'Afmelden',
    present: 'Ik ben aanwezig',
    attendance: 'Aanwezigheid',
    note: 'Verslag',
    decision: 'Besluit',
    action: 'Actie',
    correct: 'Corrigeren',
    remove: 'Verwijderen',
    actions: 'Acties',
    done: 'Gereed melden',
    close: 'Sluiten',
    closeConfirm: 'Ja, sluit de vergadering',
    reopen: 'Heropenen',
    minutes: 'Besluitenlijst',
    publish: 'Publiceren',
    save: 'Vastleggen',
    more: 'Meer',
    previousPage: 'Vorige pagina',
    nextPage: 'Volgende pagina',
    presentBtn: 'Aanwezig',
    absentBtn: 'Afwezig',
  },
  /** The words of the minutes documents (.docx, Markdown, draft page): the language of the meeting. */
  minutes: {
    /** The document's language tag (Word's proofing language and the document's). */
    language: 'nl-NL',
    documentKind: 'Besluitenlijst',
    title: (body: string) => `BESLUITENLIJST ${body}`,
    parts: { openbaar: 'Openbaar deel', besloten: 'Besloten deel' },
    /** The word in file names: "2016-10-10 DVO openbaar.docx". */
    fileParts: { openbaar: 'openbaar', besloten: 'besloten' },
    confidential: 'VERTROUWELIJK',
    confidentialMark: 'VERTROUWELIJK – besloten deel',
    statusWords: { concept: 'concept', adopted: 'vastgesteld' },
    status: (word: string, on?: string) => `Status: ${word}${on ? ` op ${on}` : ''}`,
    facts: {
      date: 'Datum',
      time: 'Tijdstip',
      chair: 'Voorzitter',
      location: 'Locatie',
      secretary: 'Secretaris',
      present: 'Aanwezig',
      absent: 'Afwezig',
    },
    /** The last join of a list of names: "a, b en c". */
    and: 'en',
    withNotice: (name: string) => `${name} (afgemeld)`,
    announcements: 'Mededelingen',
    questions: 'Rondvraag',
    portfolioHolder: (name: string) => `Portefeuillehouder: ${name}`,
    decisionTail: (label: string, outcome?: string) => `besluit ${label}${outcome ? `, ${outcome}` : ''}`,
    actionRef: (label: string, owner: string) => `Actie ${label} (${owner}): `,
    seeActionList: ' – zie de actielijst',
    actionStatus: { open: 'open', done: 'gereed' },
    grid: { nr: 'NR', items: 'Agendapunten', attachments: 'Bijlagen' },
    actionList: 'Actielijst',
    actionColumns: { number: 'Nr', text: 'Actie', owner: 'Wie', due: 'Termijn', status: 'Status', origin: 'Agendapunt' },
    page: { page: 'pagina', of: 'van' },
  },
  draftPage: {
    title: (meeting: string) => `Concept-besluitenlijst ${meeting}`,
    notice: (adopted: boolean): string =>
      adopted ? 'Deze besluitenlijst is vastgesteld.' : 'Concept: deze besluitenlijst is nog niet vastgesteld en kan nog veranderen.',
    expires: (date: string) => `Deze link werkt tot en met ${date}.`,
    download: (part: string) => `Download ${part} (.docx)`,
    goneTitle: 'Besluitenlijst niet beschikbaar',
    gone: {
      invalid: 'Deze link is ongeldig. Vraag in de chat opnieuw om de besluitenlijst.',
      expired: 'Deze link is verlopen. Vraag in de chat opnieuw om de besluitenlijst met het commando besluitenlijst.',
      gone: 'Deze vergadering bestaat niet meer in de chat.',
    },
    confidentialFor: (name: string) => `VERTROUWELIJK – voor ${name}`,
    fullNotice: 'Deze pagina toont ook het besloten deel. De link is alleen voor u: stuur hem niet door.',
    publicNotice: 'Deze pagina toont het openbare deel van de besluitenlijst.',
    expiresFull: (when: string) => `Deze link werkt tot ${when} en vervalt zodra de besluitenlijst is gepubliceerd.`,
    changesTitle: 'Wijzigingen in het verslag',
    changesColumns: { at: 'Wanneer', by: 'Door', what: 'Wat', before: 'Was', after: 'Wordt' },
    changeKinds: {
      decision: 'Besluit',
      action: 'Actie',
      announcement: 'Mededeling',
      question: 'Rondvraag',
      note: 'Verslag',
      meeting: 'Vergadering',
    },
    changeTypes: { edited: 'gewijzigd', removed: 'verwijderd' },
    /** The meeting's facts a change names (`wijzig vergadering`). */
    meetingFacts: {
      title: 'titel',
      date: 'datum',
      startTime: 'begintijd',
      endTime: 'eindtijd',
      location: 'locatie',
      chairName: 'voorzitter',
      secretaryName: 'secretaris',
      members: 'leden',
      itemTimesInMinutes: 'tijden per punt',
      houseBody: 'orgaan',
      houseLine: 'kopregel',
      houseLogo: 'logo',
    } as Record<string, string>,
  },
  help: {
    /** What this person can do now, in a few lines. */
    now: (role: Role, status?: MeetingStatus): string[] => {
      if (!status)
        return [
          'Plan een vergadering met de knop hieronder. U wordt dan de secretaris.',
          'Daarna zet u de agenda, wijst u de voorzitter aan en start de voorzitter de vergadering.',
        ];
      if (role === 'member')
        return status === 'closed'
          ? ['De vergadering is gesloten. De concept-besluitenlijst bekijkt u met "Besluitenlijst".']
          : [
              'Meld een mededeling of een vraag voor de rondvraag aan, vooraf of tijdens de vergadering: typ mededeling: tekst of rondvraag: tekst, of gebruik de knoppen op de agenda.',
              'Kunt u niet komen? Typ afmelden.',
            ];
      if (status === 'planned')
        return [
          'Zet de agenda (agenda met één regel per punt), koppel voorstellen (voorstel D1 met de tekst eronder) en wijs de voorzitter aan (voorzitter @naam).',
          'Start de vergadering met de knop "Start" op de agenda.',
        ];
      if (status === 'running')
        return [
          'Leid de vergadering vanaf de kaart van het huidige punt: Besluit, Verslag, Actie en Volgende.',
          'Typen kan ook: besluit: tekst [akkoord], verslag: tekst, actie Naam: tekst [voor dd-mm-jjjj], volgende.',
          'Sluit met "Sluiten" (na bevestiging) of typ sluiten.',
        ];
      return role === 'secretary'
        ? [
            'Bekijk de concept-besluitenlijst met "Besluitenlijst", corrigeer waar nodig (wijzig besluit 2: …) en publiceer met "Publiceren".',
          ]
        : ['De vergadering is gesloten. De secretaris publiceert de besluitenlijst.'];
    },
    everyone: [
      ['agenda', 'de agenda met het huidige punt'],
      ['mededeling: tekst', 'een mededeling; ook mededeling namens Naam: tekst'],
      ['rondvraag: tekst', 'een vraag voor de rondvraag'],
      ['afmelden', 'uzelf afmelden'],
      ['acties', 'de open acties van alle vergaderingen'],
      ['gereed 3', 'uw eigen actie 3 gereed melden'],
      ['wijzig mededeling 2: tekst', 'uw eigen mededeling of rondvraag wijzigen; verwijder mededeling 2 haalt haar weg'],
      ['besluitenlijst', 'de concept-besluitenlijst; besluitenlijst dd-mm-jjjj voor een andere vergadering'],
      ['vergadering', 'een vergadering plannen, met regels titel:, datum:, tijd:, locatie:, voorzitter:, leden:'],
    ] as [string, string][],
    chair: [
      [
        'agenda + regels',
        'de agenda zetten: code en titel per regel, met [besloten], [ter besluitvorming], [portefeuillehouder: Naam], [bijlage: titel | url]',
      ],
      ['voorstel D1 + tekst', 'een voorstel aan een punt koppelen'],
      ['voorzitter @naam', 'de voorzitter aanwijzen'],
      ['lid @naam: M. Stegers', 'de naam van een lid zoals de ledenlijst die schrijft'],
      ['start', 'de vergadering openen'],
      ['volgende, vorige, punt D1', 'naar een ander agendapunt'],
      ['aanwezig: namen, afwezig: namen', 'aanwezigheid vastleggen'],
      ['verslag: tekst', 'verslag bij het huidige punt, of verslag D1: tekst'],
      [
        'besluit: tekst [akkoord]',
        'een besluit, met [akkoord], [akkoord met wijzigingen], [aangehouden], [afgewezen], [vastgesteld] of [ter kennisgeving]',
      ],
      ['actie Naam: tekst [voor dd-mm-jjjj]', 'een actiepunt'],
      ['wijzig besluit 2: tekst', 'een besluit, actie, mededeling, rondvraag of verslag corrigeren; verwijder besluit 2 haalt het weg'],
      ['sluiten, heropenen', 'de vergadering sluiten of heropenen'],
    ] as [string, string][],
    secretary: [
      ['wijzig vergadering + regels', 'alleen de gegeven gegevens wijzigen, bijvoorbeeld locatie: Hengelo; tijden per punt: ja'],
      ['annuleren', 'een geplande vergadering annuleren (met bevestiging)'],
      ['publiceren', 'de besluitenlijst van de gesloten vergadering publiceren; publiceren dd-mm-jjjj voor een andere'],
    ] as [string, string][],
  },
};

export type Strings = typeof nl;
