// Where the book shipped with the package lives (its chapters/ and snapshots/).

import { fileURLToPath } from "node:url";

/** The package root: two levels above this module (dist/bin/CHUNK.js in the package, src/book/ in a checkout). */
export function defaultBookDir(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}
