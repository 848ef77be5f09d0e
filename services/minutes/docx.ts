// Renders a MinutesModel as a Word document laid out like the besluitenlijsten the secretariat has always
// made: title, part, status, the meeting's facts in two columns, then NR / Agendapunten / Bijlagen.
// User text only ever becomes the text of a run; the docx library escapes it, and characters XML cannot
// hold at all are replaced so Word still opens the file.
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Logo } from './houseStyle';
import type { ActionRow, AttachmentRef, Block, ItemRow, MinutesLabels, MinutesModel, Run } from './model';

// A4 in twentieths of a point, with 2 cm margins: 9638 twips of text width.
const PAGE_WIDTH = 11906;
const PAGE_HEIGHT = 16838;
const MARGIN = 1134;
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

const FONT = 'Arial';
/** Half-points: 10 pt body text. */
const BODY_SIZE = 20;
const BULLET_REF = 'notulist-bullet';
/** Dictated lists, numbered as the chair dictated them: "a)" or "1.". */
const LIST_REFS = { letter: 'notulist-letters', number: 'notulist-numbers' } as const;
const LIST_FORMATS = { letter: { format: LevelFormat.LOWER_LETTER, text: '%1)' }, number: { format: LevelFormat.DECIMAL, text: '%1.' } };
const LIST_INDENT = { left: 340, hanging: 340 };
const FOOTER_STYLE = 'NotulistFooter';
const CONFIDENTIAL_STYLE = 'NotulistVertrouwelijk';
const HOUSE_STYLE = 'NotulistHuisstijl';
const HOUSE_LINE_STYLE = 'NotulistKopregel';
/** Dark red: the closed document's marking. */
const CONFIDENTIAL_COLOR = 'C00000';
const HEADER_FILL = 'D9E2F3';
const CELL_MARGINS = { top: 60, bottom: 60, left: 100, right: 100 };
const LINE = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
const GRID_BORDERS = {
  top: LINE,
  bottom: LINE,
  left: LINE,
  right: LINE,
  insideHorizontal: LINE,
  insideVertical: LINE,
};

// Characters an XML 1.0 document cannot contain (most C0 controls, unpaired surrogates, U+FFFE/F).
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD');
}

/** A run per line, so line breaks typed by a member become real breaks instead of collapsing. */
function textRuns(run: Run): TextRun[] {
  const lines = xmlSafe(run.text).replace(/\r\n?/g, '\n').split('\n');
  return lines.map((line, i) => new TextRun({ text: line, bold: run.bold, italics: run.italic, break: i > 0 ? 1 : undefined }));
}

function runsOf(runs: Run[]): TextRun[] {
  return runs.flatMap(textRuns);
}

function para(runs: Run[], options: { spacingAfter?: number; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: runsOf(runs),
    spacing: { after: options.spacingAfter ?? 80 },
    keepNext: options.keepNext,
  });
}

/**
 * The Agendapunten cell's paragraphs. Each dictated list is a numbering instance of its own, so it starts
 * at a) or 1. again.
 */
function blockParagraphs(blocks: Block[], lists: { instance: number }): Paragraph[] {
  return blocks.map((block) => {
    if (block.kind === 'bullet')
      return new Paragraph({
        children: runsOf(block.runs),
        numbering: { reference: BULLET_REF, level: 0 },
        spacing: { after: 60 },
      });
    if (block.kind === 'listItem') {
      if (block.first) lists.instance++;
      return new Paragraph({
        children: runsOf(block.runs),
        numbering: { reference: LIST_REFS[block.list ?? 'letter'], level: 0, instance: lists.instance },
        spacing: { after: 60 },
      });
    }
    return para(block.runs, { spacingAfter: block.role === 'portfolioHolder' ? 60 : 100 });
  });
}

function cell(children: Paragraph[], width: number, options: { header?: boolean } = {}): TableCell {
  return new TableCell({
    // A cell must hold at least one paragraph to be valid.
    children: children.length > 0 ? children : [new Paragraph({})],
    width: { size: width, type: WidthType.DXA },
    margins: CELL_MARGINS,
    shading: options.header ? { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_FILL } : undefined,
  });
}

function headerCell(text: string, width: number): TableCell {
  return cell([para([{ text, bold: true }], { spacingAfter: 0 })], width, { header: true });
}

function titleBlock(model: MinutesModel): Paragraph[] {
  return [
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      children: [new TextRun({ text: xmlSafe(model.title) })],
    }),
    // The closed document's part line is its marking, in the marking's colour.
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      children: [new TextRun({ text: model.confidentialMark ?? model.partLabel, color: model.confidentialMark && CONFIDENTIAL_COLOR })],
    }),
    new Paragraph({ children: [new TextRun({ text: xmlSafe(model.status), italics: true })], spacing: { after: 240 } }),
  ];
}

const FACT_LABEL_WIDTH = 1700;

/**
 * The meeting's facts, label and value in two columns: paragraphs on a tab stop with a hanging indent (a
 * long list of names wraps under its value), not a table, which Word's accessibility checker would want a
 * header row for.
 */
function factParagraphs(model: MinutesModel): Paragraph[] {
  return model.header.map(
    (row) =>
      new Paragraph({
        tabStops: [{ type: TabStopType.LEFT, position: FACT_LABEL_WIDTH }],
        indent: { left: FACT_LABEL_WIDTH, hanging: FACT_LABEL_WIDTH },
        spacing: { after: 60 },
        children: [new TextRun({ text: row.label, bold: true }), new TextRun({ children: [new Tab()] }), ...runsOf([{ text: row.value }])],
      }),
  );
}

const ITEM_WIDTHS = [800, TEXT_WIDTH - 800 - 2300, 2300];

function attachmentParagraph(attachment: AttachmentRef): Paragraph {
  const title = xmlSafe(attachment.title);
  const child: ParagraphChild = attachment.url
    ? new ExternalHyperlink({
        link: xmlSafe(attachment.url),
        children: [new TextRun({ text: title, style: 'Hyperlink' })],
      })
    : new TextRun({ text: title });
  return new Paragraph({ children: [child], spacing: { after: 60 } });
}

/**
 * Whether a row will fit on one page, by a cautious count of its lines (10 pt Arial in the Agendapunten
 * column: about 85 characters a line, 50 lines a page with room for the repeated header). Only such a
 * row is kept whole: a taller one must break, or Word would cut it off at the page's foot.
 */
function fitsOnAPage(item: ItemRow): boolean {
  const PER_LINE = 80;
  const PAGE_LINES = 46;
  const texts = [item.title, ...item.blocks.map((b) => b.runs.map((r) => r.text).join(''))];
  const lines = texts.reduce((n, text) => n + 1 + text.split('\n').reduce((k, line) => k + Math.ceil(line.length / PER_LINE), 0), 0);
  return lines <= PAGE_LINES && item.attachments.length <= PAGE_LINES / 2;
}

function itemTableRow(item: ItemRow, lists: { instance: number }): TableRow {
  const content = [para([{ text: item.title, bold: true }], { spacingAfter: 100 }), ...blockParagraphs(item.blocks, lists)];
  return new TableRow({
    cantSplit: fitsOnAPage(item),
    children: [
      cell([para([{ text: item.code, bold: true }], { spacingAfter: 0 })], ITEM_WIDTHS[0]),
      cell(content, ITEM_WIDTHS[1]),
      cell(item.attachments.map(attachmentParagraph), ITEM_WIDTHS[2]),
    ],
  });
}

function itemsTable(model: MinutesModel): Table {
  const lists = { instance: 0 };
  const { grid } = model.labels;
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [grid.nr, grid.items, grid.attachments].map((text, i) => headerCell(text, ITEM_WIDTHS[i]!)),
  });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: ITEM_WIDTHS,
    layout: TableLayoutType.FIXED,
    borders: GRID_BORDERS,
    rows: [header, ...model.items.map((item) => itemTableRow(item, lists))],
  });
}

// Wie and Termijn wide enough for "O. van Veldhuizen" and "30 september 2016" on one line.
const ACTION_WIDTHS = [650, 3450, 2250, 2050, TEXT_WIDTH - 650 - 3450 - 2250 - 2050];

function actionTableRow(action: ActionRow, labels: MinutesLabels): TableRow {
  const plain = (text: string) => [para([{ text }], { spacingAfter: 0 })];
  // Where the action was agreed goes under its text: a column of its own left the text too narrow.
  const what = [
    para([{ text: action.text }], { spacingAfter: 20 }),
    para([{ text: `${labels.actionColumns.origin} ${action.origin}`, italic: true }], { spacingAfter: 0 }),
  ];
  const cells = [plain(action.number), what, plain(action.owner), plain(action.due), plain(action.status)];
  return new TableRow({
    // A row is read as one line of the list: it moves to the next page whole.
    cantSplit: true,
    children: cells.map((children, i) => cell(children, ACTION_WIDTHS[i])),
  });
}

function actionSection(model: MinutesModel): (Paragraph | Table)[] {
  if (model.actions.length === 0) return [];
  const c = model.labels.actionColumns;
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [c.number, c.text, c.owner, c.due, c.status].map((text, i) => headerCell(text, ACTION_WIDTHS[i]!)),
  });
  return [
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      children: [new TextRun({ text: model.labels.actionList })],
      spacing: { before: 360, after: 120 },
      keepNext: true,
    }),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: ACTION_WIDTHS,
      layout: TableLayoutType.FIXED,
      borders: GRID_BORDERS,
      rows: [header, ...model.actions.map((action) => actionTableRow(action, model.labels))],
    }),
  ];
}

function pageFooter(model: MinutesModel): Footer {
  return new Footer({
    children: [
      new Paragraph({
        // Through the style, so the page number fields get the small size too (LibreOffice ignores the run's).
        style: FOOTER_STYLE,
        alignment: AlignmentType.RIGHT,
        children: [
          new TextRun({
            children: [
              `${xmlSafe(model.footer)} – ${model.labels.page.page} `,
              PageNumber.CURRENT,
              ` ${model.labels.page.of} `,
              PageNumber.TOTAL_PAGES,
            ],
          }),
        ],
      }),
    ],
  });
}

/** How tall the logo stands in the page header (pixels at 96 dpi: 1.4 cm); its width follows. */
const LOGO_HEIGHT = 53;
const LOGO_MAX_WIDTH = 300;

function logoSize(logo: Logo): { width: number; height: number } {
  const scale = Math.min(LOGO_HEIGHT / logo.height, LOGO_MAX_WIDTH / logo.width);
  return { width: Math.max(1, Math.round(logo.width * scale)), height: Math.max(1, Math.round(logo.height * scale)) };
}

/** The house style, the body's logo, name and header line, on every page. */
function houseParagraphs(model: MinutesModel, logo: Logo | undefined): Paragraph[] {
  const { body, line } = model.house;
  const out: Paragraph[] = [];
  if (logo || body) {
    out.push(
      new Paragraph({
        style: HOUSE_STYLE,
        children: [
          ...(logo
            ? [
                new ImageRun({
                  type: logo.type,
                  // Scaled to the header's height, and narrower than a third of the page.
                  data: logo.data,
                  transformation: logoSize(logo),
                  altText: { name: 'Logo', title: body ?? model.body, description: body ?? model.body },
                }),
                ...(body ? [new TextRun({ text: '  ' })] : []),
              ]
            : []),
          ...(body ? [new TextRun({ text: xmlSafe(body), bold: true })] : []),
        ],
      }),
    );
  }
  if (line) out.push(new Paragraph({ style: HOUSE_LINE_STYLE, children: [new TextRun({ text: xmlSafe(line) })] }));
  return out;
}

/** The closed document's marking, boxed, at the top of every page (the document has one section). */
function confidentialParagraph(mark: string): Paragraph {
  const border = { style: BorderStyle.SINGLE, size: 8, color: CONFIDENTIAL_COLOR, space: 2 };
  return new Paragraph({
    style: CONFIDENTIAL_STYLE,
    alignment: AlignmentType.CENTER,
    border: { top: border, bottom: border, left: border, right: border },
    children: [new TextRun({ text: mark })],
  });
}

function pageHeader(model: MinutesModel, logo: Logo | undefined): Header | undefined {
  const children = [...houseParagraphs(model, logo), ...(model.confidentialMark ? [confidentialParagraph(model.confidentialMark)] : [])];
  return children.length ? new Header({ children }) : undefined;
}

function documentFor(model: MinutesModel, logo: Logo | undefined): Document {
  const header = pageHeader(model, logo);
  return new Document({
    title: xmlSafe(model.confidentialMark ? `${model.title} – ${model.confidentialMark}` : `${model.title} – ${model.partLabel}`),
    ...(model.confidentialMark ? { keywords: model.labels.confidential } : {}),
    subject: model.labels.documentKind,
    description: xmlSafe(`${model.body}, ${model.meetingDate}, ${model.partLabel.toLowerCase()}`),
    creator: 'Notulist',
    lastModifiedBy: 'Notulist',
    styles: {
      default: {
        document: { run: { font: FONT, size: BODY_SIZE, language: { value: model.labels.language } } },
        // Word's own heading styles (navigation pane, accessibility checker), in the seed's look.
        heading1: {
          run: { font: FONT, size: 32, bold: true, color: '000000' },
          paragraph: { spacing: { before: 0, after: 120 }, keepNext: true },
        },
        heading2: {
          run: { font: FONT, size: 24, bold: true, color: '000000' },
          paragraph: { spacing: { before: 0, after: 60 }, keepNext: true },
        },
      },
      paragraphStyles: [
        { id: FOOTER_STYLE, name: 'Notulist voettekst', basedOn: 'Normal', run: { size: 16, color: '595959' } },
        { id: HOUSE_STYLE, name: 'Notulist huisstijl', basedOn: 'Normal', run: { size: 22 }, paragraph: { spacing: { after: 40 } } },
        {
          id: HOUSE_LINE_STYLE,
          name: 'Notulist kopregel',
          basedOn: 'Normal',
          run: { size: 16, color: '404040', allCaps: true },
          paragraph: { spacing: { after: 120 } },
        },
        {
          id: CONFIDENTIAL_STYLE,
          name: 'Notulist vertrouwelijk',
          basedOn: 'Normal',
          run: { size: 22, bold: true, color: CONFIDENTIAL_COLOR },
        },
      ],
    },
    numbering: {
      config: [
        ...(['letter', 'number'] as const).map((style) => ({
          reference: LIST_REFS[style],
          levels: [{ level: 0, ...LIST_FORMATS[style], alignment: AlignmentType.LEFT, style: { paragraph: { indent: LIST_INDENT } } }],
        })),
        {
          reference: BULLET_REF,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '\u2022',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 284, hanging: 227 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE_WIDTH, height: PAGE_HEIGHT, orientation: PageOrientation.PORTRAIT },
            // The closed document's header (its marking) 0.8 cm from the top edge, clear of the text below it.
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 454 },
          },
        },
        ...(header ? { headers: { default: header } } : {}),
        footers: { default: pageFooter(model) },
        children: [
          ...titleBlock(model),
          ...factParagraphs(model),
          new Paragraph({ children: [], spacing: { after: 240 } }),
          itemsTable(model),
          ...actionSection(model),
        ],
      },
    ],
  });
}

/** `logo`: the deployment's (MINUTES_LOGO), on every page beside the body's name. */
export async function renderDocx(model: MinutesModel, logo?: Logo): Promise<Buffer> {
  return Packer.toBuffer(documentFor(model, logo));
}
