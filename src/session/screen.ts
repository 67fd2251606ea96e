// What step mode and practice draw of a chapter: every block in order (prose,
// figures as a pointer, file= scripts with their path), the box of a step (with
// or without its command), recorded output with its placeholders explained
// once, and long text a screenful at a time.

import type { Chapter, Step } from "../book/model.js";
import type { Prose } from "../book/prose.js";
import type { Figure } from "../html/figures.js";
import { blockLabel } from "../prose/label.js";
import { type CodeBlock, renderProse } from "../prose/render.js";
import type { Section } from "../snapshot/format.js";
import { type ShownLine, seenNote, shownLine } from "../snapshot/shown.js";
import { ANY_LINES, ANY_TEXT, meaningOf } from "../snapshot/meanings.js";
import type { Colors } from "../util/colors.js";
import type { Io } from "../util/io.js";
import { visible } from "../util/visible.js";

const TOKEN = /\[\.\.\]|\[[A-Z][A-Z0-9_]*\]/g;

export class Screen {
  private explained = false;

  constructor(
    private readonly io: Io,
    readonly colors: Colors,
    readonly width: number,
    private readonly figures: readonly Figure[],
  ) {}

  /** A rule between steps. */
  rule(): string {
    return `\n${this.colors.dim("─".repeat(Math.min(this.width, 78)))}\n`;
  }

  /** The prose of a segment: paragraphs, lists, headings (figures after theirs), file= blocks with their path. */
  prose(chapter: Chapter, prose: Prose): string {
    if (prose.length === 0) return "";
    const c = this.colors;
    const practiceOnly = (code: CodeBlock) => {
      const b = code.block === undefined ? undefined : chapter.blocks[code.block];
      return b?.kind === "check" || b?.kind === "question";
    };
    const shown = prose.filter((b) => !(b.kind === "code" && practiceOnly(b)));
    return renderProse(shown, {
      width: this.width,
      colors: c,
      fenceLabel: (code) => blockLabel(chapter, code),
      afterFence: (code) => {
        const b = code.block === undefined ? undefined : chapter.blocks[code.block];
        return b?.kind === "file" ? c.dim(`  (consh-book writes this file as $CONSH_WORK/${visible(b.path)}${b.executable ? ", executable" : ""})`) : undefined;
      },
      afterHeading: (text) => this.figureText(this.figures.filter((f) => f.chapter === chapter.id && f.afterHeading === text)),
    });
  }

  /** The figures placed before a step, as pointers. */
  figuresBefore(chapter: Chapter, step: Step): string {
    return this.figureText(this.figures.filter((f) => f.chapter === chapter.id && f.beforeStep === step.id)) ?? "";
  }

  private figureText(figures: readonly Figure[]): string | undefined {
    if (figures.length === 0) return undefined;
    const c = this.colors;
    return figures
      .map(
        (f) =>
          `  ${c.cyan("▣ figure")} ${c.bold(visible(f.caption))}\n  ${c.dim(visible(f.alt))}\n  ${c.dim(`(chapters/figures/${f.file}; consh-book html shows it)`)}\n`,
      )
      .join("\n");
  }

  /** A step's box: its id, terminal and chapter, and its command unless the learner is to type it. */
  stepBox(chapter: Chapter, step: Step, o: { command: boolean; note?: string }): string {
    const c = this.colors;
    const head = `  ┌ step ${visible(step.id)} · terminal ${visible(step.terminal)}${step.background ? " · in the background" : ""} · ${chapter.id}${o.note ? ` · ${o.note}` : ""}`;
    const text = step.text.replace(/\s+$/, "").split("\n");
    const lines = o.command
      ? text.map((l, i) => `  ${c.dim("│")} ${visible(l)}${step.background && i === text.length - 1 && !/&\s*$/.test(l) ? c.dim("  &") : ""}`)
      : [];
    return `${[c.dim(head), ...lines].join("\n")}\n`;
  }

  /**
   * Recorded output (a snapshot section) with a label: the recording host's
   * values in place of their wildcards (marked, and said once below it), its
   * placeholders explained the first time.
   */
  recorded(section: Section | undefined, label: string): string {
    const c = this.colors;
    if (!section) return `${c.dim(`  ┌ ${label}: none recorded yet`)}\n`;
    const lines = section.text === "" ? [] : section.text.replace(/\n$/, "").split("\n");
    const shown = lines.map(shownLine);
    const text = (l: ShownLine) => {
      let out = "";
      let at = 0;
      for (const m of l.seen) {
        out += c.green(visible(l.text.slice(at, m.start))) + c.yellow(visible(l.text.slice(m.start, m.end)));
        at = m.end;
      }
      return out + c.green(visible(l.text.slice(at)));
    };
    const body = shown.length === 0 ? [`  ${c.dim("┆")} ${c.dim("(no output)")}`] : shown.map((l) => `  ${c.dim("┆")} ${text(l)}`);
    const note = seenNote(shown);
    const patterns = lines.filter((l) => !l.startsWith("\\"));
    return [c.dim(`  ┌ ${label}`), ...body, ...(note ? [c.dim(`  └ ${visible(note)}`)] : []), ...this.explain(patterns)].join("\n") + "\n";
  }

  /** The first time recorded output shows placeholders or wildcards: what they stand for. */
  private explain(lines: readonly string[]): string[] {
    if (this.explained) return [];
    const names = new Set<string>();
    for (const l of lines) for (const m of l.match(TOKEN) ?? []) names.add(m);
    if (lines.includes(ANY_LINES)) names.add(ANY_LINES);
    if (names.size === 0) return [];
    this.explained = true;
    const c = this.colors;
    const say = (t: string) => (t === ANY_TEXT ? "any text within the line" : t === ANY_LINES ? "any number of lines" : meaningOf(t.slice(1, -1), false));
    return [
      c.dim("  (recorded output stands in for what differs between runs and hosts:"),
      ...[...names].map((n) => c.dim(`     ${n}  ${say(n)}`)),
      c.dim("   your run shows its own values)"),
    ];
  }

  /** Prints `text`, a screenful at a time on a terminal (`more` asks to go on; false: the rest is skipped). */
  async page(text: string, more: () => Promise<boolean>): Promise<void> {
    const rows = this.io.rows();
    const lines = text.split("\n");
    const size = rows && rows > 10 ? rows - 3 : undefined;
    if (!size || !this.io.stdoutIsTTY || lines.length <= size) {
      this.io.out(text);
      return;
    }
    for (let at = 0; at < lines.length; at += size) {
      const part = lines.slice(at, at + size);
      this.io.out(part.join("\n") + (at + size < lines.length ? "\n" : ""));
      if (at + size < lines.length && !(await more())) {
        this.io.out(this.colors.dim(`  (${lines.length - at - size} more lines not shown)\n`));
        return;
      }
    }
  }
}
