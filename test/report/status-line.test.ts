// The status line's drawing on fake timers and a fake clock (the only parts faked).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Chapter, Step } from "../../src/book/model.js";
import { makeColors } from "../../src/util/colors.js";
import { ERASE_LINE, StatusLine, whenAllowed } from "../../src/report/status-line.js";
import type { RunEvent, StepResult } from "../../src/report/results.js";

const chapter = { id: "chapter-07" } as Chapter;
const step = { id: "look-around", terminal: "container" } as Step;
const start: RunEvent = { type: "step-start", chapter, step };
const end: RunEvent = { type: "step-end", chapter, step, result: {} as StepResult };

let clock = 0;
let written: string[];
const make = (columns = 120) =>
  new StatusLine({ write: (t) => written.push(t), colors: makeColors(false), columns: () => columns, now: () => clock, delayMs: 200, intervalMs: 150 });

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  written = [];
});
afterEach(() => vi.useRealTimers());

const advance = (ms: number) => {
  clock += ms;
  vi.advanceTimersByTime(ms);
};

describe("StatusLine", () => {
  it("appears after the delay with chapter, step, terminal and elapsed time, redrawn in place", () => {
    const s = make();
    s.handle(start);
    advance(150);
    expect(written).toEqual([]);
    advance(50);
    expect(written).toEqual([`${ERASE_LINE}  … chapter-07 · step look-around · terminal container · 0.2 s`]);
    advance(150);
    advance(150);
    expect(written).toHaveLength(3);
    expect(written[2]).toBe(`${ERASE_LINE}  … chapter-07 · step look-around · terminal container · 0.5 s`);
    expect(written.every((w) => !w.includes("\n"))).toBe(true);
  });

  it("is erased when the step ends and stops redrawing", () => {
    const s = make();
    s.handle(start);
    advance(400);
    const before = written.length;
    s.handle(end);
    expect(written.slice(before)).toEqual([ERASE_LINE]);
    advance(1000);
    expect(written.length).toBe(before + 1);
  });

  it("writes nothing at all for a step quicker than the delay", () => {
    const s = make();
    s.handle(start);
    advance(100);
    s.handle(end);
    advance(1000);
    expect(written).toEqual([]);
  });

  it("is cut to the terminal's width so it never wraps", () => {
    const s = make(30);
    s.handle(start);
    advance(200);
    const line = written[0]!.slice(ERASE_LINE.length);
    expect(line.length).toBe(29);
    expect(line.endsWith("…")).toBe(true);
  });
});

describe("whenAllowed", () => {
  it("only on a terminal, never in CI or on a dumb terminal", () => {
    expect(whenAllowed({ stdoutIsTTY: true, env: { TERM: "xterm" } })).toBe(true);
    expect(whenAllowed({ stdoutIsTTY: false, env: { TERM: "xterm" } })).toBe(false);
    expect(whenAllowed({ stdoutIsTTY: true, env: { TERM: "xterm", CI: "true" } })).toBe(false);
    expect(whenAllowed({ stdoutIsTTY: true, env: { TERM: "xterm", CI: "1" } })).toBe(false);
    expect(whenAllowed({ stdoutIsTTY: true, env: { TERM: "dumb" } })).toBe(false);
  });
});
