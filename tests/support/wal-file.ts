/**
 * Reads a SQLite write-ahead log the way SQLite's recovery does (https://sqlite.org/fileformat.html,
 * "The WAL file format"): a 32-byte header with two salts, then frames of a 24-byte header and one
 * page. A frame counts only while its salts match the header's and its checksum, which runs on
 * from the previous frame's, is right; the log ends at the first frame that fails. Recovery keeps
 * the frames up to the last commit frame (one with the database size set) of that valid run.
 */
export interface WalScan {
  /** The header's salts, hex: they change when the log starts over after a checkpoint. */
  salt: string;
  pageSize: number;
  /** The byte offset just past each valid commit frame, in order. */
  commitEnds: number[];
  /** The byte offset of each valid frame. */
  frameStarts: number[];
}

export const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), from the running pair `s`. */
function checksum(data: Buffer, s: [number, number], bigEndian: boolean): [number, number] {
  let [s0, s1] = s;
  for (let i = 0; i < data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** The valid frames of a WAL file's content, or null when its header is not valid. */
export function scanWal(wal: Buffer): WalScan | null {
  if (wal.length < WAL_HEADER_BYTES) return null;
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return null;
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8);
  let sum = checksum(wal.subarray(0, 24), [0, 0], bigEndian);
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) return null;
  const salts = wal.subarray(16, 24);
  const scan: WalScan = { salt: salts.toString('hex'), pageSize, commitEnds: [], frameStarts: [] };
  const frameBytes = FRAME_HEADER_BYTES + pageSize;
  for (let at = WAL_HEADER_BYTES; at + frameBytes <= wal.length; at += frameBytes) {
    const header = wal.subarray(at, at + FRAME_HEADER_BYTES);
    if (!header.subarray(8, 16).equals(salts)) break;
    sum = checksum(header.subarray(0, 8), sum, bigEndian);
    sum = checksum(wal.subarray(at + FRAME_HEADER_BYTES, at + frameBytes), sum, bigEndian);
    if (sum[0] !== header.readUInt32BE(16) || sum[1] !== header.readUInt32BE(20)) break;
    scan.frameStarts.push(at);
    if (header.readUInt32BE(4) !== 0) scan.commitEnds.push(at + frameBytes);
  }
  return scan;
}

/** What the WAL index (the -shm file) says of the log: its salts, and how much was checkpointed. */
export interface WalIndexInfo {
  /** The salts, hex, as the log's header holds them. */
  salt: string;
  /** Frames copied into the database file, or being copied (`nBackfillAttempted`). */
  backfilled: number;
}

/**
 * Reads the header of a WAL index (https://sqlite.org/walformat.html): the salts at 32, copied
 * from the log's header as they are, and `nBackfill` at 96 and `nBackfillAttempted` at 128, in
 * this machine's byte order (little-endian here). Null when it is too short.
 */
export function readWalIndex(shm: Buffer): WalIndexInfo | null {
  if (shm.length < 136) return null;
  return {
    salt: shm.subarray(32, 40).toString('hex'),
    backfilled: Math.max(shm.readUInt32LE(96), shm.readUInt32LE(128)),
  };
}
