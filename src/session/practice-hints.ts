// Hints for a learner who types a step, gentlest first: the author's own
// (hint=), then which programs the step uses, then its first line; never the
// whole command (that is :show, asked for).

import type { Step } from "../book/model.js";

const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "in",
  "function",
  "time",
  "!",
  "{",
  "}",
  "[[",
  "]]",
]);
/** Words that run the next word: the program is the one after them (sudo is noted). */
const PREFIXES = new Set(["sudo", "exec", "env", "nohup", "command", "builtin"]);

/** The programs a step runs, in order, once each; `sudo` marks those run through it. */
export function programsOf(text: string): string[] {
  const found: string[] = [];
  const code = text
    .split("\n")
    .map((l) => l.replace(/(^|\s)#.*$/, ""))
    .join("\n");
  for (const segment of code.split(/\|\||&&|[|;&\n`]|\$\(|\(|\)/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    let sudo = false;
    for (const w of words) {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || KEYWORDS.has(w) || /^[<>0-9]*[<>]/.test(w)) continue;
      if (PREFIXES.has(w) || /^-/.test(w)) {
        if (w === "sudo") sudo = true;
        continue;
      }
      const name = `${w.replace(/^["']|["']$/g, "")}${sudo ? " (with sudo)" : ""}`;
      if (!found.includes(name) && /^[A-Za-z0-9_./$"{}-]+( \(with sudo\))?$/.test(name)) found.push(name);
      break;
    }
  }
  return found;
}

/** The hints for `step`, gentlest first. */
export function hintsFor(step: Step): string[] {
  const lines = step.text.replace(/\n$/, "").split("\n");
  const programs = programsOf(step.text);
  const auto = [
    ...(programs.length > 0 ? [`the book's command uses: ${programs.map((p) => p.replace(/^(\S+)/, "`$1`")).join(", ")}`] : []),
    lines.length > 1
      ? `the book's command has ${lines.length} lines; the first is: ${lines[0]}`
      : `the book's command starts with: ${firstWords(lines[0] ?? "")}`,
  ];
  return [...step.hints, ...auto];
}

/** The first two words of a line, and an ellipsis if there is more. */
function firstWords(line: string): string {
  const words = line.trim().split(/\s+/);
  return words.length > 2 ? `${words.slice(0, 2).join(" ")} …` : words.join(" ");
}
