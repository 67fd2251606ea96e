// Hints for a learner: the author's first, then the programs, then a start; never the whole command.
import { describe, expect, it } from "vitest";
import { hintsFor, programsOf } from "../../src/session/practice-hints.js";
import { stepOf } from "../support/factories.js";

describe("programsOf", () => {
  it("finds each program of pipelines, lists, substitutions and sudo, skipping assignments and keywords", () => {
    expect(programsOf('ct_pid=$(pgrep -P "$unshare_pid")\necho "$ct_pid" > "$CONSH_WORK/ct.pid"\nps -o pid= -p "$ct_pid" | awk \'{ print }\'\n')).toEqual([
      "pgrep",
      "echo",
      "ps",
      "awk",
    ]);
    expect(programsOf("sudo mount -t overlay overlay -o x merged && findmnt merged\n")).toEqual(["mount (with sudo)", "findmnt"]);
    expect(programsOf("if true; then exec unshare --user busybox sh; fi # a comment\n")).toEqual(["true", "unshare"]);
  });
});

describe("hintsFor", () => {
  it("gives the author's hints first, then the programs, then the first line of a longer command", () => {
    const step = stepOf({ text: "cd demo\nls lower\n", hints: ["look in the demo directory"] });
    expect(hintsFor(step)).toEqual([
      "look in the demo directory",
      "the book's command uses: `cd`, `ls`",
      "the book's command has 2 lines; the first is: cd demo",
    ]);
  });

  it("gives only the start of a one-line command", () => {
    const h = hintsFor(stepOf({ text: 'echo "I am PID $$ on $(hostname)"\n' }));
    expect(h.at(-1)).toBe("the book's command starts with: echo \"I …");
    expect(h.join("\n")).not.toContain("hostname)");
  });
});
