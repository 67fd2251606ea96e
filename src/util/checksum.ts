// A fast checksum (CRC-32 and length) for telling whether bytes changed: the
// code caches' headers and the book cache's key. It guards against accidents,
// not attackers (who is trusted is decided by file ownership). node:zlib's
// crc32() is native and cheap to load; node:crypto would cost more of a
// command's start-up than everything it hashes, and a JavaScript hash is slow
// before the JIT has warmed up.

import * as zlib from "node:zlib";

/** The checksum of `bytes`, or undefined on a Node without zlib.crc32 (before 20.15): then nothing is cached. */
export function checksum(bytes: Uint8Array): string | undefined {
  if (typeof zlib.crc32 !== "function") return undefined;
  return `${bytes.length.toString(16)}-${zlib.crc32(bytes).toString(16).padStart(8, "0")}`;
}
