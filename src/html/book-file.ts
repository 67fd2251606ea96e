// Reads a file of the book (snapshot, figure, manifest, host report) only when it is
// a regular file: never blocks on a FIFO, never reads a directory or device.

import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { readOpenFile } from "../util/trust.js";

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
    return { state: "ok", data: readOpenFile(fd, st.size) };
  } catch (err) {
    return { state: "bad", problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  } finally {
    closeSync(fd);
  }
}
