// Random bytes from the kernel (/dev/urandom, as node:crypto's own come from the
// kernel too): names and markers that must not be guessed, without loading
// node:crypto into every command's start-up (bench/BENCHMARKS.md, start-up).
// Where /dev/urandom cannot be read (no /dev in a minimal chroot), node:crypto.

import { closeSync, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";

function fromCrypto(n: number): Buffer {
  const crypto = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return crypto.randomBytes(n);
}

/** `n` random bytes. */
export function randomBytes(n: number): Buffer {
  const bytes = Buffer.alloc(n);
  let fd: number;
  try {
    fd = openSync("/dev/urandom", "r");
  } catch {
    return fromCrypto(n);
  }
  try {
    for (let got = 0; got < n; ) {
      const read = readSync(fd, bytes, got, n - got, null);
      if (read === 0) return fromCrypto(n); // not the kernel's device after all
      got += read;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** A uniformly random integer in [0, max), max an integer from 1 to 2^32; `bytes` is the source (for tests). */
export function randomInt(max: number, bytes: (n: number) => Buffer = randomBytes): number {
  if (!Number.isInteger(max) || max < 1 || max > 2 ** 32) throw new RangeError(`randomInt: max must be an integer from 1 to 2^32, not ${max}`);
  // Rejection sampling: the largest multiple of `max` below 2^32 keeps every value equally likely.
  const limit = 2 ** 32 - (2 ** 32 % max);
  for (;;) {
    const n = bytes(4).readUInt32LE(0);
    if (n < limit) return n % max;
  }
}
