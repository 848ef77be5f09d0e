// The body's house style on its minutes: the deployment's logo, name and header line on every page, the
// chat's own texts over the deployment's, set by the secretary with the meeting's facts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { DomainError } from '../../services/meeting/errors';
import type { HouseStyleText } from '../../services/meeting/types';
import * as ops from '../../services/meeting/operations';
import { renderDocx } from '../../services/minutes/docx';
import { houseText, logoFor, logoOf, readLogo, readLogos } from '../../services/minutes/houseStyle';
import { minutesModel } from '../../services/minutes/model';
import { OCTOBER_MEETING_ID, SECRETARY, seedSeries } from '../support/seedMeeting';

/** A 1 × 1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
/** The start of a JPEG whose frame header (SOF0) says 120 × 40. */
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x28, 0x00, 0x78, 0x03, 0, 0, 0, 0, 0, 0,
]);

const DEPLOYMENT = { body: 'Districtelijk Veiligheidsoverleg Twente', line: 'Platform IVZ – samen sterk voor een veilig Twente' };

async function header(
  series = seedSeries(),
  house: HouseStyleText = DEPLOYMENT,
  withLogo = true,
): Promise<{ xml: string; media: string[] }> {
  const zip = await JSZip.loadAsync(
    await renderDocx(minutesModel(series, OCTOBER_MEETING_ID, 'openbaar', house), withLogo ? logoOf(PNG) : undefined),
  );
  const name = Object.keys(zip.files).find((f) => /^word\/header\d*\.xml$/.test(f));
  return {
    xml: name ? await zip.file(name)!.async('string') : '',
    media: Object.keys(zip.files).filter((f) => f.startsWith('word/media/') && !f.endsWith('/')),
  };
}

describe('minutes: house style', () => {
  it('puts the deployment’s logo, body name and header line at the top of every page', async () => {
    const { xml, media } = await header();
    assert.ok(xml.includes('Districtelijk Veiligheidsoverleg Twente'));
    assert.ok(xml.includes('Platform IVZ – samen sterk voor een veilig Twente'));
    assert.match(xml, /<w:drawing>/, 'the logo is in the header');
    assert.match(xml, /descr="Districtelijk Veiligheidsoverleg Twente"/, 'the logo has a text alternative');
    assert.equal(media.length, 1);
  });

  it('the chat’s own texts win over the deployment’s; cleared, the deployment’s show again', async () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    ops.setHouseStyle(series, SECRETARY, meeting, { line: 'Samen voor een veilig Twente' }, '2016-10-10T12:00:00Z');
    let { xml } = await header(series);
    assert.ok(xml.includes('Samen voor een veilig Twente') && !xml.includes('Platform IVZ'), 'the chat’s header line');
    assert.ok(xml.includes('Districtelijk Veiligheidsoverleg Twente'), 'the deployment’s body name where the chat has none');
    assert.deepEqual(meeting.changes?.at(-1), {
      at: '2016-10-10T12:00:00Z',
      by: SECRETARY,
      kind: 'meeting',
      label: 'houseLine',
      change: 'edited',
      before: '',
      after: 'Samen voor een veilig Twente',
    });
    ops.setHouseStyle(series, SECRETARY, meeting, { line: '' }, '2016-10-10T12:01:00Z');
    assert.equal(series.houseStyle, undefined);
    ({ xml } = await header(series));
    assert.ok(xml.includes('Platform IVZ'));
  });

  it('without a house style the public document has no page header', async () => {
    assert.equal((await header(seedSeries(), {}, false)).xml, '');
    assert.deepEqual(houseText({ body: 'A' }, { body: '', line: 'B' }), { body: 'A', line: 'B' });
  });

  it('only the secretary sets it', () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    assert.throws(
      () => ops.setHouseStyle(series, { id: '29:lid', name: 'J. Slot' }, meeting, { body: 'Ander orgaan' }, '2016-10-10T12:00:00Z'),
      (err: unknown) => err instanceof DomainError,
    );
    assert.equal(series.houseStyle, undefined);
  });

  it('reads a PNG or JPEG logo’s size from its header, and refuses anything else with a sentence', () => {
    assert.deepEqual({ ...logoOf(PNG)!, data: undefined }, { data: undefined, type: 'png', width: 1, height: 1 });
    assert.deepEqual({ ...logoOf(JPEG)!, data: undefined }, { data: undefined, type: 'jpg', width: 120, height: 40 });
    assert.equal(logoOf(Buffer.from('GIF89a')), undefined);
    const dir = mkdtempSync(join(tmpdir(), 'notulist-logo-'));
    try {
      writeFileSync(join(dir, 'logo.gif'), 'GIF89a…');
      assert.throws(() => readLogo(join(dir, 'logo.gif')), /MINUTES_LOGO: .*logo\.gif is not a PNG or JPEG image/);
      assert.throws(() => readLogo(join(dir, 'missing.png')), /MINUTES_LOGO: .*missing\.png cannot be read/);
      writeFileSync(join(dir, 'logo.png'), PNG);
      assert.equal(readLogo(join(dir, 'logo.png')).type, 'png');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a chat chooses one of the deployment’s logos by name; an unknown or no choice keeps the deployment’s own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notulist-logos-'));
    try {
      writeFileSync(join(dir, 'Platform.PNG'), PNG);
      writeFileSync(join(dir, 'huis.jpg'), JPEG);
      writeFileSync(join(dir, 'notes.txt'), 'not a logo');
      const logos = readLogos(dir);
      assert.deepEqual(Object.keys(logos).sort(), ['huis', 'platform']);
      const own = logoOf(PNG)!;
      assert.equal(logoFor({ logo: own, logos }, { logo: 'huis' })?.type, 'jpg');
      assert.equal(logoFor({ logo: own, logos }, { logo: 'elders' }), own);
      assert.equal(logoFor({ logo: own, logos }, undefined), own);
      writeFileSync(join(dir, 'kapot.png'), 'geen png');
      assert.throws(() => readLogos(dir), /MINUTES_LOGOS: .*kapot\.png is not a PNG or JPEG image/);
      assert.throws(() => readLogos(join(dir, 'nergens')), /MINUTES_LOGOS: .* is not a folder that can be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
