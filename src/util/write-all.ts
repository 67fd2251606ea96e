// Writes all of a buffer to a file descriptor: write(2) may write less than asked
// (a full disk, a signal), and a caller that ignores it leaves a truncated file.
// Every file consh-book writes goes through here.

import { writeSync } from "node:fs";

/** One write(2): `length` bytes of `buf` from `offset`; returns how many were written. Tests pass their own. */
export type WriteFn = (fd: number, buf: Buffer, offset: number, length: number) => number;

const systemWrite: WriteFn = (fd, buf, offset, length) => writeSync(fd, buf, offset, length);

/**
 * Writes every byte of `data` to `fd`, looping over short writes. A write that
 * makes no progress is a full disk (ENOSPC): thrown, never looped on forever.
 */
export function writeAll(fd: number, data: string | Buffer, write: WriteFn = systemWrite): void {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let at = 0;
  while (at < buf.length) {
    const n = write(fd, buf, at, buf.length - at);
    if (!(n > 0)) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write (${at} of ${buf.length} bytes written)`), {
        code: "ENOSPC",
        errno: -28,
        syscall: "write",
      });
    }
    at += n;
  }
}
