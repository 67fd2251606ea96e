// The human report: turns run events into lines for a terminal (or a log).

import type { Step } from "../book/model.js";
import type { PlatformFacts } from "../host/platform.js";
import type { TeardownReport } from "../host/teardown.js";
import { anyChapterFailed, type ChapterResult, isFailing, type RunEvent, type RunReport, type StepResult } from "./results.js";
import { colorDiff, type Colors } from "../util/colors.js";
import { adviceFor, hintsFor } from "./hints.js";
import { visible as v } from "../util/visible.js";

interface TextReporterOptions {
  write: (text: string) => void;
  colors: Colors;
  /** Show every step's output, not only failures'. */
  verbose: boolean;
  /**
   * Show the steps of chapters run first as needs, and the author's fixes of a
   * failure (--verbose); otherwise a needed chapter is one line unless it fails.
   */
  needsVerbose?: boolean;
  /** Show the author's fix of a failed step (--update: the author is at work; CI). */
  author?: boolean;
  /** The host's platform, for hints that name the cause on this host. */
  platform?: PlatformFacts;
}

/** "3 processes, 1 mount" for what a teardown removed. */
export function teardownParts(r: TeardownReport): string[] {
  const n = (count: number, one: string, many: string) => (count === 0 ? "" : `${count} ${count === 1 ? one : many}`);
  return [
    n(r.processes.length, "process", "processes"),
    n(r.mounts.length, "mount", "mounts"),
    n(r.cgroups.length, "cgroup", "cgroups"),
    n(r.netns.length, "netns name", "netns names"),
    n(r.links.length, "link", "links"),
    ...(r.subtree ?? []),
  ].filter(Boolean);
}

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);

function indent(text: string, by = "      "): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => by + l)
    .join("\n");
}

function firstSentence(lead: string): string {
  const flat = lead.replace(/\s+/g, " ").trim();
  const m = /^(.+?[.!?:])(\s|$)/.exec(flat);
  return (m ? m[1]! : flat).slice(0, 200);
}

/** "1 of 4 steps ran; not run: uts, ns-links" for a chapter the learner did not finish. */
function incompleteTail(r: ChapterResult): string {
  const ran = r.stepsTotal - r.notRun.length;
  return `${ran} of ${r.stepsTotal} step${r.stepsTotal === 1 ? "" : "s"} ran; not run: ${r.notRun.join(", ")}`;
}

export class TextReporter {
  /** Whether the chapter now running runs only as a need. */
  private needed = false;

  constructor(private readonly o: TextReporterOptions) {}

  private line(s = ""): void {
    this.o.write(`${s}\n`);
  }

  handle(e: RunEvent): void {
    const c = this.o.colors;
    switch (e.type) {
      case "run-start":
        this.line(c.dim(`run ${v(e.runId)} · work dir ${v(e.workDir)}`));
        break;
      case "chapter-start":
        this.needed = e.needed;
        if (!e.needed) this.line(`\n${c.bold(`${e.chapter.id}: ${v(e.chapter.title)}`)}`);
        break;
      case "step-start":
        break;
      case "step-end":
        if (this.needed && !this.o.needsVerbose && !isFailing(e.result.status)) break; // a needed chapter is one line
        this.step(e.step, e.result, e.shown?.raw);
        break;
      case "chapter-end":
        this.chapterEnd(e.result);
        break;
      case "teardown": {
        const r = e.report;
        const parts = teardownParts(r);
        this.line(c.dim(`\ntorn down: terminals ended${parts.length ? `; removed ${parts.join(", ")}` : ""}`));
        for (const p of r.problems) this.line(c.red(`teardown problem: ${v(p)}`));
        break;
      }
    }
  }

  /** `raw`: what the step printed with this run's own values (shown instead of the placeholders). */
  private step(step: Step, r: StepResult, raw: string | undefined): void {
    const c = this.o.colors;
    const who = `${v(r.id)} ${c.dim(`(${v(r.terminal)})`)}`;
    const time = c.dim(ms(r.durationMs));
    switch (r.status) {
      case "passed": {
        const asExpected = typeof r.expectedExit === "number" && r.expectedExit !== 0 ? ` ${c.dim(`(exit ${r.expectedExit}, as expected)`)}` : "";
        const typed = r.by === "learner" ? ` ${c.dim("typed by you")}` : "";
        this.line(`  ${c.green("✓")} ${who} ${time}${asExpected}${typed}`);
        if (r.by === "learner") return; // its output was shown as it came
        break;
      }
      case "interrupted":
        this.line(`  ${c.yellow("■")} ${who} ${time} ${c.yellow("interrupted")}`);
        return;
      case "written":
        this.line(`  ${c.green("+")} ${who} ${time} ${c.yellow("new snapshot section recorded")}`);
        if (r.reason) this.line(c.yellow(indent(`note: ${v(r.reason)}`, "    ")));
        break;
      case "updated":
        this.line(`  ${c.yellow("↻")} ${who} ${time} ${c.yellow("snapshot section updated")}`);
        if (r.reason) this.line(c.yellow(indent(`note: ${v(r.reason)}`, "    ")));
        if (r.diff) this.line(indent(colorDiff(v(r.diff), c)));
        break;
      case "started":
        this.line(`  ${c.cyan("&")} ${who} ${c.dim("started in the background")}`);
        break;
      case "skipped":
        this.line(`  ${c.dim("-")} ${who} ${c.dim(`skipped: ${v(r.reason ?? "")}`)}`);
        break;
      default: {
        this.line(`  ${c.red("✗")} ${who} ${time} ${c.red(r.status)}`);
        this.line(`    ${c.yellow("what you can do:")} ${v(adviceFor(step, r))}`);
        this.line(c.red(indent(v(r.reason ?? r.status), "    ")));
        if (r.diff) {
          this.line(indent(colorDiff(v(r.diff), c)));
        } else if (r.failure && r.failure.outputTail !== "") {
          this.line(c.dim("    last output:"));
          this.line(indent(v(r.failure.outputTail)));
        }
        if (step.lead) this.line(`    ${c.dim("this step shows:")} ${v(firstSentence(step.lead))}`);
        for (const h of hintsFor(step, r, this.o.platform)) this.line(`    ${c.yellow("hint:")} ${v(h)}`);
        if (r.failure?.hint && (this.o.author || this.o.needsVerbose)) this.line(`    ${c.yellow("for the book's author:")} ${v(r.failure.hint)}`);
        return;
      }
    }
    const shown = raw ?? r.output;
    if (this.o.verbose && shown !== "") this.line(c.dim(indent(v(shown))));
  }

  private chapterEnd(r: ChapterResult): void {
    const c = this.o.colors;
    const count = (s: StepResult["status"]) => r.steps.filter((x) => x.status === s).length;
    const ran = r.steps.length - count("skipped");
    const extra = [
      count("written") ? `${count("written")} new snapshot section${count("written") === 1 ? "" : "s"}` : "",
      count("updated") ? `${count("updated")} updated` : "",
      count("skipped") ? `${count("skipped")} skipped` : "",
    ].filter(Boolean);
    const tail = `${ran} step${ran === 1 ? "" : "s"}${extra.length ? ` (${extra.join(", ")})` : ""} in ${ms(r.durationMs)}`;
    if (r.obsolete.length > 0) {
      const what = v(`obsolete snapshot sections in ${r.snapshotFile}: ${r.obsolete.join(", ")}`);
      this.line(r.obsoleteFails ? c.red(`  ✗ ${what} (remove them with --update)`) : c.yellow(`  ! ${what} (consh-book run --update removes them)`));
    }
    if (r.needed) {
      const mark = r.status === "passed" ? c.green("✓") : c.red("✗");
      this.line(`${mark} ${c.dim(`${r.id}: ${v(r.title)} (needed first) · ${tail}`)}`);
      return;
    }
    if (r.status === "incomplete") {
      this.line(`  ${r.id} ${c.yellow("not finished")}: ${incompleteTail(r)}`);
      return;
    }
    const verdict = r.status === "passed" ? c.green("passed") : c.red("failed");
    const typed = r.steps.filter((x) => x.by === "learner").length;
    const practised = r.steps.some((x) => x.by === "learner")
      ? ` ${c.dim("·")} practised: ${typed} of ${r.stepsTotal} step${r.stepsTotal === 1 ? "" : "s"} typed by you`
      : "";
    this.line(`  ${r.id} ${verdict}: ${tail}${practised}`);
  }

  summary(report: RunReport): void {
    const c = this.o.colors;
    if (report.interrupted === "quit") {
      const at = report.chapters.find((ch) => ch.status === "incomplete");
      const where = at ? ` after ${at.stepsTotal - at.notRun.length} of ${at.stepsTotal} steps of ${at.id}` : "";
      this.line(c.yellow(`\nstopped: you quit${where}; everything the run made was removed`));
      return;
    }
    if (report.interrupted) {
      this.line(c.yellow(`\ninterrupted by ${report.interrupted}; everything the run made was removed`));
      return;
    }
    const notRun = report.chapters.filter((ch) => ch.status === "not-run").map((ch) => ch.id);
    if (notRun.length > 0) this.line(c.dim(`not run (an earlier step failed): ${notRun.join(", ")}`));
    const failed = anyChapterFailed(report);
    const incomplete = report.chapters.filter((ch) => ch.status === "incomplete");
    if (report.passed) this.line(c.green(`\nall passed in ${ms(report.durationMs)}`));
    else if (failed) this.line(c.red(`\nfailed after ${ms(report.durationMs)}`));
    else
      this.line(
        c.yellow(
          `\nnothing failed, but not every step ran (${incomplete.map((ch) => `${ch.id}: ${ch.stepsTotal - ch.notRun.length} of ${ch.stepsTotal}`).join(", ")}) in ${ms(report.durationMs)}`,
        ),
      );
  }
}
