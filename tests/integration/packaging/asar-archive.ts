import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** One file in an asar archive, as its header records it. */
export interface AsarFile {
  /** Path inside the archive, '/'-separated, no leading slash. */
  readonly path: string;
  readonly size: number;
  /** True when the bytes are in `<archive>.unpacked/<path>` instead of the archive. */
  readonly unpacked: boolean;
  /** Byte offset of the contents from the end of the header (packed files only). */
  readonly offset: number;
}

interface HeaderNode {
  files?: Record<string, HeaderNode>;
  size?: number;
  offset?: string;
  unpacked?: boolean;
}

/**
 * Reads an asar archive's index. Format (electron/asar): a 4-byte-length pickle holding the header
 * pickle's size, then the header pickle (payload size, string length, JSON string), then the files'
 * bytes. Parsed here because @electron/asar is only electron-builder's dependency, not ours.
 */
export class AsarArchive {
  readonly files: ReadonlyMap<string, AsarFile>;
  private readonly dataStart: number;

  constructor(private readonly archivePath: string) {
    const sizes = this.read(0, 8);
    const headerPickleSize = sizes.readUInt32LE(4);
    const headerPickle = this.read(8, headerPickleSize);
    const json = headerPickle.toString('utf8', 8, 8 + headerPickle.readUInt32LE(4));
    this.dataStart = 8 + headerPickleSize;
    const files = new Map<string, AsarFile>();
    const walk = (node: HeaderNode, prefix: string): void => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        const path = prefix + name;
        if (child.files) walk(child, `${path}/`);
        else if (child.size !== undefined) {
          const unpacked = child.unpacked === true;
          files.set(path, { path, size: child.size, unpacked, offset: Number(child.offset ?? 0) });
        }
      }
    };
    walk(JSON.parse(json) as HeaderNode, '');
    this.files = files;
  }

  /** A file's contents, from the archive or from the `.unpacked` folder beside it. */
  readText(path: string): string {
    const file = this.files.get(path);
    if (!file) throw new Error(`${path} is not in ${this.archivePath}`);
    if (file.unpacked) return readFileSync(`${this.archivePath}.unpacked/${path}`, 'utf8');
    return this.read(this.dataStart + file.offset, file.size).toString('utf8');
  }

  private read(position: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.archivePath, 'r');
    try {
      if (readSync(fd, buffer, 0, length, position) !== length) {
        throw new Error(`${this.archivePath} is shorter than its asar header says`);
      }
    } finally {
      closeSync(fd);
    }
    return buffer;
  }
}
