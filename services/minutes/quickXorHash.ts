// OneDrive/SharePoint's content hash, by which the SharePoint publisher tells whether an upload whose
// answer was lost landed.

/**
 * OneDrive/SharePoint's content hash (file.hashes.quickXorHash): each byte XORed into a 160-bit
 * register at bit offset 11·i (mod 160), then the length XORed into the last 64 bits; base64.
 */
export function quickXorHash(data: Uint8Array): string {
  const register = new Uint8Array(20);
  let bit = 0;
  for (let i = 0; i < data.length; i++) {
    const index = bit >> 3;
    const shifted = data[i] << (bit & 7);
    register[index] ^= shifted & 0xff;
    if (shifted > 0xff) register[(index + 1) % 20] ^= shifted >> 8;
    bit = (bit + 11) % 160;
  }
  let length = BigInt(data.length);
  for (let k = 0; k < 8; k++) {
    register[12 + k] ^= Number(length & 0xffn);
    length >>= 8n;
  }
  return Buffer.from(register).toString('base64');
}
