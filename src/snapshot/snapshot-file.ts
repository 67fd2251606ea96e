// Where a chapter's snapshot file lives in its book.

import { join } from "node:path";
import type { Book, Chapter } from "../book/model.js";

export function snapshotFileOf(book: Book, chapter: Chapter): string {
  return join(book.dir, "snapshots", `${chapter.id}.snap`);
}
