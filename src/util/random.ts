// Random bytes from the kernel (/dev/urandom, as node:crypto's own come from the
// kernel too): names and markers that must not be guessed, without loading
// node:crypto, which costs several milliseconds of every command's start-up.

import { closeSync, openSync, readSync } from "node:fs";

/** `n` random bytes. */
export function randomBytes(n: number): Buffer {
  const bytes = Buffer.alloc(n);
  const fd = openSync("/dev/urandom", "r");
  try {
    for (let got = 0; got < n; ) got += readSync(fd, bytes, got, n - got, null);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** A uniformly random integer in [0, max), max at most 2^32. */
export function randomInt(max: number): number {
  // Rejection sampling: the largest multiple of `max` below 2^32 keeps every value equally likely.
  const limit = 2 ** 32 - (2 ** 32 % max);
  for (;;) {
    const n = randomBytes(4).readUInt32LE(0);
    if (n < limit) return n % max;
  }
}
