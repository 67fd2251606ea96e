// Reads a file of the book (snapshot, figure, manifest, host report) only when it is
// a regular file: never blocks on a FIFO, never reads a directory or device.

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

type BookFile = { state: "missing" } | { state: "ok"; data: Buffer } | { state: "bad"; problem: string };

/** The file's bytes, "missing" when it does not exist, or why it cannot be read as a regular file. */
export function readBookFile(file: string, maxBytes = 64 << 20): BookFile {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { state: "missing" };
    return { state: "bad", problem: `cannot be read (${code ?? (err as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { state: "bad", problem: st.isDirectory() ? "is a directory, not a file" : "is not a regular file" };
    if (st.size > maxBytes) return { state: "bad", problem: `is too large (${st.size} bytes)` };
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, n);
      if (got === 0) break;
      n += got;
    }
    return { state: "ok", data: buf.subarray(0, n) };
  } catch (err) {
    return { state: "bad", problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  } finally {
    closeSync(fd);
  }
}
