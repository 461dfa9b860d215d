/**
 * A store-only (uncompressed) ZIP writer: enough to hand a canary script to CloudWatch Synthetics
 * without a compression dependency. Entries get a fixed timestamp so the same script always
 * produces the same bytes.
 */

import zlib from "node:zlib";

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 by table, for Node releases without zlib.crc32 (added in v22.2.0 and v20.15.0). */
/**
 * The 26 bytes that a local file header (from offset 4) and a central directory header (from
 * offset 6) share: version needed, flags, method (stored), time, date, CRC-32, both sizes, the name
 * length and an empty extra field.
 */
function writeEntryFields(header: Buffer, at: number, crc: number, size: number, nameLength: number): void {
  header.writeUInt16LE(VERSION, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(0, at + 4); // stored
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
  header.writeUInt16LE(0, at + 24); // extra
}

export function crc32Table(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// Feature-detected rather than version-checked: zlib.crc32 is native and much faster.
const nativeCrc32: ((data: Uint8Array) => number) | undefined = typeof zlib.crc32 === "function" ? (data) => zlib.crc32(data) >>> 0 : undefined;

/** CRC-32 (IEEE 802.3, as ZIP uses): zlib.crc32 where Node has it, else the table above. */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) : crc32Table(data);
}

export interface ZipEntry {
  /** Path inside the archive, with `/` separators and no leading `/`. */
  path: string;
  data: Uint8Array | string;
}

// 1980-01-01 00:00, the ZIP epoch: fixed so the archive is reproducible.
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const VERSION = 20;
const REGULAR_FILE_644 = (0o100644 << 16) >>> 0;

/** Builds a ZIP archive whose entries are stored without compression. */
export function zipStore(entries: readonly ZipEntry[]): Uint8Array {
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.path === "" || entry.path.startsWith("/") || entry.path.split("/").includes("..")) {
      throw new Error(`zip entry path "${entry.path}" must be relative, without .. segments`);
    }
    if (seen.has(entry.path)) throw new Error(`zip entry "${entry.path}" appears twice`);
    seen.add(entry.path);
    const name = Buffer.from(entry.path, "utf8");
    const data = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : Buffer.from(entry.data);
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, crc, data.length, name.length);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | VERSION, 4); // made by: Unix, so the file mode below is read
    writeEntryFields(central, 6, crc, data.length, name.length);
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(REGULAR_FILE_644, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}
