// The body's house style on its minutes: a logo, the body's name and a header line. Per deployment:
// MINUTES_LOGO, MINUTES_BODY and MINUTES_HEADER_LINE; per chat, over those: its own texts and one of the
// deployment's logos by name (MINUTES_LOGOS, a folder of them). Logos are read and checked once, at start,
// so a bad file is a start-up error and not a failed publish.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { HouseStyleText } from '../meeting/types';

export interface Logo {
  data: Buffer;
  type: 'png' | 'jpg';
  /** Pixels, as the file says. */
  width: number;
  height: number;
}

/** What the deployment sets: the texts every chat starts from, and the logo. */
export interface HouseStyle extends Omit<HouseStyleText, 'logo'> {
  logo?: Logo;
  /** The logos a chat may choose (`logo: <name>`), by lower-case file name without extension. */
  logos?: Record<string, Logo>;
}

/** A folder of logos larger than this many is refused: a chat chooses among a few. */
export const MAX_LOGOS = 50;

/** The logo a chat's minutes carry: the one it chose among the deployment's, else the deployment's own. */
export function logoFor(house: HouseStyle | undefined, chat: HouseStyleText | undefined): Logo | undefined {
  const chosen = chat?.logo && house?.logos && Object.hasOwn(house.logos, chat.logo) ? house.logos[chat.logo] : undefined;
  return chosen ?? house?.logo;
}

/** Reads MINUTES_LOGOS: every .png, .jpg and .jpeg in the folder, by lower-case name; throws a sentence. */
export function readLogos(dir: string): Record<string, Logo> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\.(png|jpe?g)$/i.test(extname(n)));
  } catch {
    throw new Error(`MINUTES_LOGOS: ${dir} is not a folder that can be read`);
  }
  if (names.length > MAX_LOGOS) throw new Error(`MINUTES_LOGOS: ${dir} holds more than ${MAX_LOGOS} logos`);
  const logos: Record<string, Logo> = {};
  for (const name of names) logos[name.slice(0, -extname(name).length).toLowerCase()] = readLogo(join(dir, name), 'MINUTES_LOGOS');
  return logos;
}

/** A logo larger than this is refused: it goes into every document. */
export const MAX_LOGO_BYTES = 1024 * 1024;

/** The chat's own texts over the deployment's; "" or absent falls back. */
export function houseText(
  deployment: Omit<HouseStyleText, 'logo'> | undefined,
  chat: HouseStyleText | undefined,
): Omit<HouseStyleText, 'logo'> {
  const body = chat?.body || deployment?.body || undefined;
  const line = chat?.line || deployment?.line || undefined;
  return { ...(body ? { body } : {}), ...(line ? { line } : {}) };
}

/** Reads MINUTES_LOGO: a PNG or JPEG file of at most 1 MB; throws a sentence saying what is wrong. */
export function readLogo(file: string, variable = 'MINUTES_LOGO'): Logo {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new Error(`${variable}: ${file} cannot be read`);
  }
  if (size > MAX_LOGO_BYTES) throw new Error(`${variable}: ${file} is larger than 1 MB`);
  const logo = logoOf(readFileSync(file));
  if (!logo) throw new Error(`${variable}: ${file} is not a PNG or JPEG image`);
  return logo;
}

/** The image's type and size from its header (PNG's IHDR, JPEG's first SOF marker), or undefined. */
export function logoOf(data: Buffer): Logo | undefined {
  if (data.length > 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('ascii', 12, 16) === 'IHDR') {
    const width = data.readUInt32BE(16);
    const height = data.readUInt32BE(20);
    return width && height ? { data, type: 'png', width, height } : undefined;
  }
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    for (let i = 2; i + 9 < data.length;) {
      if (data[i] !== 0xff) return undefined;
      const marker = data[i + 1]!;
      const length = data.readUInt16BE(i + 2);
      // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC): the frame header holds the size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        const height = data.readUInt16BE(i + 5);
        const width = data.readUInt16BE(i + 7);
        return width && height ? { data, type: 'jpg', width, height } : undefined;
      }
      i += 2 + length;
    }
  }
  return undefined;
}
