// The JUnit report parsed back with a real, strict XML 1.0 parser (saxes).
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { junitReport } from "../../src/report/junit.js";
import type { RunReport, StepResult } from "../../src/report/results.js";
import { stepResultOf } from "../support/factories.js";

function report(output: string, reason: string): RunReport {
  const step = (id: string, status: StepResult["status"]): StepResult => stepResultOf({ id, line: 3, status, durationMs: 12, output, reason });
  return {
    runId: "abc123",
    workDir: "/w",
    startedAt: "",
    durationMs: 20,
    passed: false,
    interrupted: undefined,
    teardown: undefined,
    maxRssKb: 0,
    chapters: [
      {
        id: "chapter-01",
        title: `T ${reason}`,
        file: "/c.md",
        needed: false,
        status: "failed",
        steps: [step("a", "failed"), step("b", "skipped"), step("c", "passed")],
        obsolete: ["x"],
        obsoleteFails: true,
        snapshotFile: "/s.snap",
        snapshotSaved: false,
        durationMs: 20,
        stepsTotal: 3,
        notRun: [],
      },
    ],
  };
}

/** Parses `xml` strictly; returns the text of each element named `name` and every attribute value. */
function parse(xml: string, name: string): { texts: string[]; attrs: string[] } {
  const p = new SaxesParser();
  const texts: string[] = [];
  const attrs: string[] = [];
  let inside = false;
  let current = "";
  p.on("error", (e) => {
    throw e;
  });
  p.on("opentag", (t) => {
    for (const v of Object.values(t.attributes)) attrs.push(String(v));
    if (t.name === name) {
      inside = true;
      current = "";
    }
  });
  p.on("text", (t) => {
    if (inside) current += t;
  });
  p.on("closetag", (t) => {
    if (t.name === name) {
      inside = false;
      texts.push(current);
    }
  });
  // Written to disk as UTF-8 and read back, as a CI server would.
  p.write(Buffer.from(xml, "utf8").toString("utf8")).close();
  return { texts, attrs };
}

describe("junitReport", () => {
  it.each([
    ["U+FFFE and U+FFFF", "a\uFFFEb\uFFFFc"],
    ["lone surrogates", "x\uD800y\uDFFFz"],
    ["C0 controls and DEL", "\u0000\u0001\u001b[2J\u007f\u0085"],
    ["markup", `</system-out><x a="1">&amp;]]>`],
  ])("stays well-formed with %s in output, reason and title", (_, nasty) => {
    const xml = junitReport(report(`out ${nasty}\n`, `why ${nasty}`));
    const out = parse(xml, "system-out");
    expect(out.texts).toHaveLength(3);
    expect(out.texts[0]!.startsWith("out ")).toBe(true);
    expect(out.attrs.some((a) => a.startsWith("why "))).toBe(true);
  });

  it("keeps what XML can hold exactly: markup characters, returns, tabs, newlines in attributes, astral characters", () => {
    const text = `<b> & "q" 'a'\r\n\ttab é 😀 \u2028\n`;
    const xml = junitReport(report(text, "line one\nline\ttwo\r"));
    const { texts, attrs } = parse(xml, "system-out");
    expect(texts[0]).toBe(text);
    expect(attrs).toContain("line one\nline\ttwo\r");
  });

  it("shows forbidden characters escaped rather than dropping them", () => {
    const { texts } = parse(junitReport(report("a\uFFFFb\u0001c\uD800\n", "r")), "system-out");
    expect(texts[0]).toBe("a\\u{FFFF}b\\u{1}c\\u{D800}\n");
  });
});
