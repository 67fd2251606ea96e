import { describe, expect, it } from "vitest";
import { parseChapter } from "../../src/book/parse-chapter.js";
import type { ChapterProblem } from "../../src/errors.js";

const FILE = "/book/chapters/chapter-03-demo.md";
const BASE = "chapter-03-demo.md";

function problems(source: string): ChapterProblem[] {
  const r = parseChapter(FILE, BASE, source);
  if (!Array.isArray(r)) throw new Error("expected problems, got a chapter");
  return r;
}

const chapter = (body: string, front = "title: Demo") => `---\n${front}\n---\n${body}`;

describe("parseChapter", () => {
  it("builds the model with steps, files, defaults and source lines", () => {
    const src = chapter(
      [
        "# Demo", // 5 (the front matter takes 4 lines)
        "",
        "First we look.", // 7
        "",
        "```sh {step=look}", // 9
        "ls",
        "```",
        "",
        "```sh {file=bin/x.sh}", // 13
        "#!/bin/sh",
        "echo x",
        "```",
        "",
        "```sh", // 18: prose
        "echo never",
        "```",
        "",
        '```sh {step=run terminal=ct timeout=5 exit=any requires=root redact="PID:\\d+"}', // 21
        "x.sh",
        "```",
        "",
        "```sh {step=bg background}", // 26
        "sleep 100",
        "```",
      ].join("\n"),
      "title: Demo\nneeds: [chapter-01, 2]",
    );
    const r = parseChapter(FILE, BASE, src);
    if (Array.isArray(r)) throw new Error(JSON.stringify(r));
    const c = r.chapter;
    expect(c.id).toBe("chapter-03");
    expect(c.number).toBe(3);
    expect(c.slug).toBe("demo");
    expect(c.title).toBe("Demo");
    expect(r.needRefs.map((n) => n.ref)).toEqual(["chapter-01", "2"]);
    expect(c.blocks.map((b) => [b.kind, b.line])).toEqual([
      ["step", 9],
      ["file", 13],
      ["step", 22],
      ["step", 26],
    ]);
    const [look, file, run, bg] = c.blocks;
    expect(look).toMatchObject({
      id: "look",
      terminal: "host",
      timeoutSeconds: 30,
      exit: 0,
      background: false,
      text: "ls\n",
      lead: "First we look.",
      intro: "# Demo\n\nFirst we look.",
    });
    expect(run?.kind === "step" && run.intro).toBe("```sh\necho never\n```");
    expect(file).toMatchObject({ kind: "file", path: "bin/x.sh", executable: true, text: "#!/bin/sh\necho x\n" });
    expect(run).toMatchObject({ id: "run", terminal: "ct", timeoutSeconds: 5, exit: "any", requires: ["root"] });
    expect(run?.kind === "step" && run.redactions[0]?.name).toBe("PID");
    expect(bg).toMatchObject({ id: "bg", background: true });
  });

  it("reports an unknown attribute at the fence's line, with a fix", () => {
    const [p, ...rest] = problems(chapter("\n```sh {step=a colour=red}\nls\n```\n"));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: FILE, line: 5, what: "unknown attribute 'colour'" });
    expect(p?.fix).toMatch(/use only step, file, terminal/);
  });

  it.each([
    ["```sh {step=a timeout=soon}\nls\n```", /timeout 'soon'/],
    ["```sh {step=a exit=300}\nls\n```", /exit '300'/],
    ["```sh {step=a requires=gpu}\nls\n```", /unknown capability 'gpu'/],
    ["```sh {step=a background=yes}\nls\n```", /flag and takes no value/],
    ["```sh {step=a_b}\nls\n```", /step id 'a_b'/],
    ["```sh {step=a file=x}\nls\n```", /both a step.*and a tangled file/],
    ["```sh {terminal=x}\nls\n```", /must name a step/],
    ["```sh {file=../x}\nls\n```", /leaves the run's work dir/],
    ["```sh {file=x terminal=y}\nls\n```", /'terminal' has no meaning on a file= block/],
    ["```sh {step=a step=b}\nls\n```", /'step' is given twice/],
    ['```sh {step=a redact="pid"}\nls\n```', /not NAME:REGEX/],
    ['```sh {step=a redact="PID:("}\nls\n```', /bad regular expression/],
    ["```sh {step=a background exit=1}\nls\n```", /no meaning on a background step/],
  ])("rejects %s", (body, what) => {
    const ps = problems(chapter(`\n${body}\n`));
    expect(ps.map((p) => p.what).join("\n")).toMatch(what);
    expect(ps[0]?.line).toBe(5);
  });

  it("reports a duplicate step id with the first one's line", () => {
    const [p] = problems(chapter("\n```sh {step=a}\nls\n```\n\n```sh {step=a}\nls\n```\n"));
    expect(p).toMatchObject({ line: 9, what: "step id 'a' is already used at line 5" });
  });

  it("reports an unterminated fence where it opens", () => {
    const [p] = problems(chapter("\ntext\n\n```sh {step=a}\nls\n"));
    expect(p).toMatchObject({ line: 7, what: "the code fence opened here is never closed" });
  });

  it.each([
    ["no front matter", "# Title\n", /has no front matter/, 1],
    ["unclosed", "---\ntitle: x\n", /not closed/, 1],
    ["missing title", "---\nneeds: []\n---\n", /has no title/, 1],
    ["unknown key", "---\ntitle: x\nauthor: me\n---\n", /unknown front matter key 'author'/, 3],
    ["bad needs", "---\ntitle: x\nneeds: chapter-01\n---\n", /needs must be a list/, 3],
    ["not key: value", "---\ntitle: x\njust text\n---\n", /not valid YAML/, 3],
  ])("reports bad front matter: %s", (_, src, what, line) => {
    const [p] = problems(src);
    expect(p?.what).toMatch(what);
    expect(p?.line).toBe(line);
  });

  it("rejects a file name that is not chapter-NN-slug.md", () => {
    const r = parseChapter("/b/chapters/intro.md", "intro.md", chapter(""));
    expect(Array.isArray(r) && r[0]?.what).toMatch(/not a chapter file name/);
  });
});

describe("a step's check and question blocks", () => {
  const body = (blocks: string[]) => chapter(`\n${blocks.join("\n\n")}\n`);
  const step = "```sh {step=start}\nmkdir x\n```";

  it("attaches a check=ID and a question=ID block to the step above them, and keeps them as blocks in order", () => {
    const r = parseChapter(
      FILE,
      BASE,
      body([
        step,
        "```sh {check=start}\n# x is a directory\ntest -d x || { echo 'no x yet'; exit 1; }\n```",
        '```sh {question=start ask="Which name?"}\necho x\n```',
      ]),
    );
    if (Array.isArray(r)) throw new Error(JSON.stringify(r));
    const [s, check, question] = r.chapter.blocks;
    expect(r.chapter.blocks.map((b) => b.kind)).toEqual(["step", "check", "question"]);
    expect(s?.kind === "step" && s.check).toEqual({
      kind: "check",
      step: "start",
      text: "# x is a directory\ntest -d x || { echo 'no x yet'; exit 1; }\n",
      line: 9,
    });
    expect(s?.kind === "step" && s.question).toMatchObject({ kind: "question", step: "start", ask: "Which name?", text: "echo x\n" });
    expect(check?.kind).toBe("check");
    expect(question?.kind).toBe("question");
  });

  it.each([
    [["```sh {check=nowhere}\ntrue\n```", step], /check=nowhere names no step above it/],
    [[step, "```sh {check=start}\ntrue\n```", "```sh {check=start}\nfalse\n```"], /step 'start' already has a check \(line 9\)/],
    [[step, "```sh {question=start}\necho x\n```"], /question=start asks nothing/],
    [[step, '```sh {question=start ask=""}\necho x\n```'], /ask= is empty/],
    [[step, "```sh {check=start}\n```"], /check=start has no script/],
    [[step, "```sh {check=start terminal=ct}\ntrue\n```"], /'terminal' has no meaning on a check= block/],
    [[step, "```sh {step=x check=start}\ntrue\n```"], /cannot be both a step \(step=\) and a step's check \(check=\)/],
    [['```sh {step=s hint=""}\ntrue\n```'], /hint= is empty/],
  ])("rejects %j", (blocks, what) => {
    expect(
      problems(body(blocks))
        .map((p) => p.what)
        .join("\n"),
    ).toMatch(what);
  });

  it("takes hints in order from repeated hint= attributes", () => {
    const r = parseChapter(FILE, BASE, body(['```sh {step=s hint="use mkdir" hint="the name is x"}\nmkdir x\n```']));
    if (Array.isArray(r)) throw new Error(JSON.stringify(r));
    const s = r.chapter.blocks[0];
    expect(s?.kind === "step" && s.hints).toEqual(["use mkdir", "the name is x"]);
  });
});
