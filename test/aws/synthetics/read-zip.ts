// A minimal ZIP reader for the tests of the canary package: walks the central directory and returns
// each entry's name and stored bytes, checking the signatures on the way.
import { expect } from "vitest";

/** Each entry of a stored ZIP: its name, bytes, CRC-32 and compression method. */
export function readZip(bytes: Uint8Array): { name: string; data: Buffer; crc: number; method: number }[] {
  const buf = Buffer.from(bytes);
  const eocd = buf.length - 22;
  expect(buf.readUInt32LE(eocd)).toBe(0x06054b50);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out.push({ name, data: buf.subarray(dataStart, dataStart + size), crc, method });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
