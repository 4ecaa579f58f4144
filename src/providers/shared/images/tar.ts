/** One entry of a tar archive: a regular file, a directory or a symbolic link. */
export interface TarEntry {
  path: string;
  mode: number;
  /** Absent for a directory (and a link). */
  data?: Buffer;
  /** A symbolic link to this target. */
  link?: string;
}

const BLOCK = 512;

/**
 * A POSIX ustar archive of `entries`, byte for byte reproducible (mtime 0, uid/gid 0),
 * so an image built twice from the same binaries has the same digest.
 */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const isDir = e.data === undefined && e.link === undefined;
    const name = isDir && !e.path.endsWith("/") ? `${e.path}/` : e.path;
    if (Buffer.byteLength(name) > 100)
      throw new RangeError(`tar entry "${name}" is ${Buffer.byteLength(name)} bytes long (limit 100)`);
    const size = e.data?.length ?? 0;
    const h = Buffer.alloc(BLOCK);
    h.write(name, 0, 100, "utf8");
    octal(h, 100, 8, e.mode);
    octal(h, 108, 8, 0); // uid
    octal(h, 116, 8, 0); // gid
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0); // mtime
    h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
    h.write(isDir ? "5" : e.link !== undefined ? "2" : "0", 156, 1, "latin1");
    if (e.link !== undefined) {
      if (Buffer.byteLength(e.link) > 100)
        throw new RangeError(`tar link target "${e.link}" is ${Buffer.byteLength(e.link)} bytes long (limit 100)`);
      h.write(e.link, 157, 100, "utf8");
    }
    h.write("ustar\u000000", 257, 8, "latin1");
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "latin1");
    parts.push(h);
    if (e.data) {
      parts.push(e.data);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function octal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, "0")}\u0000`, offset, length, "latin1");
}
