// Where the book shipped with the package lives (its chapters/ and snapshots/).

import { fileURLToPath } from "node:url";

/** The package root: dist/book/default-book.js → ../../ */
export function defaultBookDir(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}
