// file= blocks that cannot all be written: one names as a file what another needs
// as a directory (file=bin and file=bin/setup.sh). Found when the book is loaded,
// not mid-run, in time linear in the paths' length (a trie of their components),
// so that a hostile book of many thousands of file= blocks costs no more than reading it.

import type { ChapterProblem } from "../errors.js";
import type { ParsedChapter } from "./parse-chapter.js";

interface FileRef {
  path: string;
  file: string;
  line: number;
}

/** A path component; `first` is the index of the first file= block that ends here (names it as a file). */
interface Node {
  first?: number;
  children: Map<string, Node>;
}

function trieOf(files: readonly FileRef[]): Node {
  const root: Node = { children: new Map() };
  files.forEach((f, i) => {
    let node = root;
    for (const part of f.path.split("/")) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.first ??= i;
  });
  return root;
}

/** The first file= block (in book order) that names one of `path`'s directories as a file. */
function blockerOf(root: Node, path: string): number | undefined {
  const parts = path.split("/");
  let node = root;
  let blocker: number | undefined;
  for (let i = 0; i < parts.length - 1; i++) {
    node = node.children.get(parts[i]!)!; // there: every path is in the trie
    if (node.first !== undefined && (blocker === undefined || node.first < blocker)) blocker = node.first;
  }
  return blocker;
}

export function fileConflicts(parsed: readonly ParsedChapter[]): ChapterProblem[] {
  const files = [...parsed]
    .sort((a, b) => a.chapter.number - b.chapter.number)
    .flatMap((p) => p.chapter.blocks.flatMap((b) => (b.kind === "file" ? [{ path: b.path, file: p.chapter.file, line: b.line }] : [])));
  const root = trieOf(files);
  const problems: ChapterProblem[] = [];
  for (const f of files) {
    const at = blockerOf(root, f.path);
    if (at === undefined) continue;
    const blocker = files[at]!;
    problems.push({
      file: f.file,
      line: f.line,
      what: `file=${f.path} needs '${blocker.path}' to be a directory, but file=${blocker.path} (${blocker.file}:${blocker.line}) writes a file there`,
      fix: "rename one of the two paths",
    });
  }
  return problems;
}
