// A Series that replays the Districtelijk Veiligheidsoverleg of 10 October 2016, as recorded in the
// public besluitenlijst in test/fixtures/seeds/002_f93e6401f0b18ddb.txt, preceded by the meeting of
// 4 July 2016 whose minutes it adopts (with one action still open and one done).
// One announcement is hostile on purpose: renderers must show it verbatim.
import type {
  ActionItem,
  AgendaItem,
  Contribution,
  Decision,
  ItemKind,
  Meeting,
  Note,
  Outcome,
  Person,
  Series,
} from '../../services/meeting/types';

export const SECRETARY: Person = { id: '29:secretaris', aadObjectId: 'aad-secretaris', name: 'H. Meuleman' };
export const CHAIR: Person = { id: '29:voorzitter', aadObjectId: 'aad-voorzitter', name: 'O. van Veldhuizen' };

export const JULY_MEETING_ID = 'dvo-2016-07-04';
export const OCTOBER_MEETING_ID = 'dvo-2016-10-10';

export const HOSTILE_ANNOUNCEMENT = 'Test ${foo} <script>alert(1)</script> **vet** | pijp | en een & teken';

export const PRESENT = [
  'R. Welten',
  'G.J. Kok',
  'A. Raven',
  'S. Schelberg',
  'E. Nauta',
  'M. Sijbom',
  'Th. Schouten',
  'A. Hofland',
  'M. Stegers',
  'H. Robben',
  'H. Meuleman',
  'S. Wevers',
  'J. Eshuis',
  'S. Kuks',
  'P. Hagens',
  'P. Miltenburg',
  'J. Knol',
  'J. Lucas',
  'V. Smink',
  'J. Arentsen',
  'J. aan de Stegge',
  'J. Slot',
];

export const ABSENT = ['A. Gerritsen', 'I. Bakker', 'C. Visser', 'S. Dinsbach', 'M. Koenders'];

const AT = '2016-10-10T10:45:00.000Z';

function notes(...texts: string[]): Note[] {
  return texts.map((text) => ({ text, by: SECRETARY, at: AT }));
}

function item(id: string, code: string, title: string, kind: ItemKind, extra: Partial<AgendaItem> = {}): AgendaItem {
  return { id, code, title, kind, closed: false, attachments: [], notes: [], ...extra };
}

function contribution(id: number, author: string, text: string): Contribution {
  return { id, author, text, by: SECRETARY, at: AT };
}

function decision(number: number, itemId: string, text: string, outcome?: Outcome): Decision {
  return { number, itemId, text, outcome, by: SECRETARY, at: AT };
}

function octoberAgenda(): AgendaItem[] {
  return [
    item('a', 'A', 'Opening', 'opening', {
      notes: notes(
        'De voorzitter opent de vergadering met een woord van welkom; in het bijzonder aan de heer Smink die voor het eerst aanwezig is als gebiedsofficier in Twente. Dhr. Gerritsen en mevr. Bakker zijn afwezig.',
      ),
    }),
    item('b', 'B', 'Mededelingen', 'announcements'),
    item('c', 'C', 'Besluitenlijst DVO 4 juli 2016', 'previousMinutes', {
      previousMinutesOf: JULY_MEETING_ID,
      attachments: [{ title: 'Besluitenlijst DVO 4 juli 2016', url: 'https://example.org/dvo/2016-07-04.pdf?a=1&b=2' }],
      notes: notes(
        'Het verslag wordt vastgesteld. N.a.v. verslag:',
        'a) Tijdens de 2 daagse staat ondermijning op de agenda en wordt uitgebreid stil gestaan bij best practices en ondermijningsbeelden in Twente.',
        'b) Dhr. Schelberg geeft als portefeuillehouder een terugkoppeling van de Stuurgroep Zorg, Veiligheid en Straf van 8 september. Er komt een voorstel om beheersorganisatie van het VH Twente onder te gaan brengen bij Veiligheidsregio Twente en er is aandacht om in de toekomst nog meer samen te werken met Veilig Thuis Twente.',
        "c) Mevr. Knol geeft antwoord op de vragen die gesteld zijn door burgemeester Welten tijdens de vorige DVO vergadering: welke faciliterende rol heeft het openbaar bestuur bij gebruik van particuliere camera's in de opsporing? Het verzoek aan het openbaar bestuur is om interne bekendheid te geven aan het verzoek van de politie.",
      ),
    }),
    item('d1', 'D1', 'Doorontwikkeling regionale samenwerking Platform IVZ', 'decision', {
      portfolioHolder: 'G.J. Kok',
      attachments: [{ title: 'Notitie doorontwikkeling Platform IVZ' }],
      proposal: {
        subject: 'Doorontwikkeling regionale samenwerking Platform IVZ',
        itemCode: 'D1',
        public: true,
        portfolioHolder: 'G.J. Kok',
        advice: ['In te stemmen met de notitie doorontwikkeling regionale samenwerking Platform IVZ.'],
        attachments: ['Animatie Platform IVZ'],
        text: 'Voorstel doorontwikkeling regionale samenwerking Platform IVZ',
        missing: [],
      },
      notes: notes(
        'Dhr. Kok geeft een toelichting als portefeuillehouder op de totstandkoming van de notitie. Het betreft een lang en intensief traject waarbij voorliggend product in samenspraak met bestuur en de deelnemers van het Platform tot stand is gebracht.',
        'Dhr. Welten geeft zijn complimenten voor de notitie. Hij vraagt aandacht voor het gastheerschap voor de samenwerking op het gebied van Toezicht en Handhaving Openbare Ruimte (T&H OR).',
        'Portefeuillehouder Kok geeft antwoord op de gestelde vragen. Met de nieuwe constructie wordt geprobeerd freeriders gedrag te voorkomen zodat iedere deelnemer capaciteit en expertise levert voor de opgaven. Deze gesprekken gaat de voorzitter individueel aan.',
        'De voorzitter sluit de bespreking af door te concluderen dat het voorstel akkoord is en dat we nog terugkomen op de vraag op welke wijze de samenwerking T&H OR vorm krijgt binnen Twente.',
      ),
    }),
    item('d2', 'D2', 'Cultuuronderzoek Nationale Politie', 'information', {
      notes: notes(
        'Op verzoek van dhr. Welten in het DVO van 4 juli jl. is het onderzoek naar de cultuurbeleving binnen de Nationale Politie ter kennisgeving geagendeerd.',
        'Binnen Oost NL en Twente moeten we aandacht houden voor de cultuurontwikkeling.',
        'Dhr. Miltenburg geeft nog een nadere toelichting. De politie is nationaal georganiseerd maar staat onder het gezag van het lokaal bestuur.',
      ),
    }),
    item('e', 'E', 'Rondvraag', 'questionRound', { notes: notes('Wordt geen gebruik van gemaakt.') }),
    item('f', 'F', 'Sluiting', 'closing'),
  ];
}

function octoberAnnouncements(): Contribution[] {
  return [
    contribution(
      1,
      'M. Stegers',
      'Het Platform IVZ heeft opnieuw een subsidie toegekend gekregen door het ministerie van V&J voor de aanpak woninginbraken ter hoogte van € 100.000.',
    ),
    contribution(
      2,
      'A. Raven',
      'Stand van zaken aanpak woonoverlast verwarde personen: een subsidie is toegekend vanuit de WMO Tender van € 300.000.',
    ),
    contribution(
      3,
      'R. Welten',
      'Onze eenheid is als verdieping regio benoemd en heeft extra armslag gekregen in de vorm van een projectleider.',
    ),
    contribution(4, 'H. Robben', 'Ontwikkelingen op het terrein van burgernet: er wordt een business case ontwikkeld.'),
    contribution(5, 'J. Slot', HOSTILE_ANNOUNCEMENT),
  ];
}

function octoberMeeting(): Meeting {
  return {
    id: OCTOBER_MEETING_ID,
    title: 'Districtelijk Veiligheidsoverleg',
    date: '2016-10-10',
    startTime: '10:30',
    endTime: '12:00',
    location: 'Meldkamer Hengelo, Demmersweg 55',
    chairName: 'O. van Veldhuizen',
    secretaryName: 'H. Meuleman',
    members: [...PRESENT, ...ABSENT],
    secretary: SECRETARY,
    chairs: [CHAIR],
    status: 'closed',
    agenda: octoberAgenda(),
    announcements: octoberAnnouncements(),
    questions: [],
    decisions: [
      decision(1, 'c', 'De besluitenlijst van het DVO van 4 juli 2016 wordt vastgesteld.', 'adopted'),
      decision(
        2,
        'd1',
        'Het DVO stemt in met de doorontwikkeling van de regionale samenwerking Platform IVZ; de samenwerking T&H OR komt terug.',
        'agreed',
      ),
      decision(3, 'd2', 'Het DVO neemt kennis van het cultuuronderzoek Nationale Politie.', 'noted'),
    ],
    present: [...PRESENT],
    absent: ABSENT.map((name) => ({ name, withNotice: false })),
    nextDecisionNumber: 4,
    nextContributionId: 6,
    createdAt: '2016-09-26T09:00:00.000Z',
    startedAt: '2016-10-10T08:30:00.000Z',
    endedAt: '2016-10-10T10:00:00.000Z',
    closedAt: '2016-10-10T10:05:00.000Z',
    minutes: { status: 'concept' },
  };
}

function julyMeeting(): Meeting {
  return {
    id: JULY_MEETING_ID,
    title: 'Districtelijk Veiligheidsoverleg',
    date: '2016-07-04',
    startTime: '10:30',
    endTime: '12:00',
    location: 'Meldkamer Hengelo, Demmersweg 55',
    chairName: 'O. van Veldhuizen',
    secretaryName: 'H. Meuleman',
    members: [...PRESENT, ...ABSENT],
    secretary: SECRETARY,
    chairs: [CHAIR],
    status: 'closed',
    agenda: [
      item('j-a', 'A', 'Opening', 'opening'),
      item('j-d1', 'D1', 'Particuliere camerabeelden in de opsporing', 'discussion'),
      item('j-f', 'F', 'Sluiting', 'closing'),
    ],
    announcements: [],
    questions: [],
    decisions: [],
    present: [...PRESENT],
    absent: [],
    nextDecisionNumber: 1,
    nextContributionId: 1,
    createdAt: '2016-06-20T09:00:00.000Z',
    closedAt: '2016-07-04T10:05:00.000Z',
    minutes: { status: 'adopted', adoptedOn: '2016-10-10', adoptedInMeetingId: OCTOBER_MEETING_ID },
  };
}

function action(number: number, meetingId: string, itemId: string, itemCode: string, rest: Partial<ActionItem>): ActionItem {
  const base: ActionItem = {
    number,
    meetingId,
    itemId,
    itemCode,
    owner: '',
    text: '',
    status: 'open',
    createdAt: AT,
  };
  return { ...base, ...rest };
}

function seedActions(): ActionItem[] {
  return [
    action(1, JULY_MEETING_ID, 'j-d1', 'D1', {
      text: 'Faciliterende rol openbaar bestuur bij particuliere camerabeelden uitzoeken',
      owner: 'J. Knol',
      status: 'open',
    }),
    action(2, JULY_MEETING_ID, 'j-d1', 'D1', {
      text: 'Stuurgroep Zorg, Veiligheid en Straf informeren',
      owner: 'S. Schelberg',
      status: 'done',
      doneAt: '2016-09-08T12:00:00.000Z',
      doneBy: SECRETARY,
    }),
    action(3, OCTOBER_MEETING_ID, 'd1', 'D1', {
      text: 'Individuele gesprekken met deelnemers over geleverde capaciteit',
      owner: 'O. van Veldhuizen',
      due: '2016-12-01',
      status: 'open',
    }),
  ];
}

/** A fresh copy every call, so tests may change it freely. */
export function seedSeries(): Series {
  return {
    tenantId: 'tenant-twente',
    conversationId: '19:dvo-twente@thread.v2',
    meetings: [julyMeeting(), octoberMeeting()],
    actions: seedActions(),
    nextActionNumber: 4,
  };
}
