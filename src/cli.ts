// Wires the command line (commander) to the commands; decides how errors are shown.
// Each action imports its command module when it runs, so a command loads only
// the modules and libraries it uses.

import { Command, CommanderError } from "commander";
import type { RunFlags } from "./commands/run.js";
import { ConshError, ExitCode } from "./errors.js";
import type { Io } from "./util/io.js";
import { packageVersion } from "./util/package-version.js";
import { visible } from "./util/visible.js";

function describe(err: unknown, io: Io): number {
  if (err instanceof ConshError) {
    io.err(`consh-book: ${visible(err.message)}\n`);
    if (err.hint) io.err(`  hint: ${visible(err.hint)}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? ExitCode.pass : ExitCode.usage;
  }
  const e = err as Error;
  io.err(`consh-book: internal error: ${visible(e?.message ?? String(err))}\n`);
  if (io.env.CONSH_DEBUG) io.err(`${visible(e?.stack ?? "")}\n`);
  else io.err("  (set CONSH_DEBUG=1 to see where; please report it)\n");
  return ExitCode.internal;
}

const BOOK = ["--book <dir>", "a book directory holding chapters/ and snapshots/ (default: the book shipped with consh-book)"] as const;
const CHAPTER = ["<chapter>", "chapter-07, 07 or 7"] as const;
type Flags = Record<string, unknown>;

/** The options `run` and `practice` share. */
function runOptions(c: Command): Command {
  return c
    .option("--all", "the whole book")
    .option("--next", "the first chapter that has not passed on this machine yet")
    .option("--keep-going", "go on after a failing step")
    .option("--json <file>", "write a JSON report")
    .option("--junit <file>", "write a JUnit XML report")
    .option("--work-dir <dir>", "directory under which the run's work dir is made")
    .option("-v, --verbose", "show every step's output (and that of the chapters run first as needs)")
    .option(...BOOK);
}

/** The commands that take one chapter and --book: show, read; and export, which takes several. */
function chapterCommands(program: Command, io: Io, done: (code: number) => void): void {
  const one = (name: string, description: string, load: () => Promise<(ref: string, flags: { book?: string }, io: Io) => Promise<number> | number>) =>
    program
      .command(name)
      .description(description)
      .argument(...CHAPTER)
      .option(...BOOK)
      .action(async (ref: string, flags: { book?: string }) => done(await (await load())(ref, flags, io)));
  one("show", "show a chapter's steps in order, with terminal and attributes", async () => (await import("./commands/show.js")).showCommand);
  one("read", "read a chapter in the terminal, with each step's recorded output", async () => (await import("./commands/read.js")).readCommand);
  program
    .command("export")
    .description("print chapters (with their needs) as one plain POSIX shell script that runs them and tears down")
    .argument("[chapters...]", "chapter-07, 07 or 7")
    .option("--all", "the whole book")
    .option(...BOOK)
    .action(async (refs: string[], flags: Flags) => done(await (await import("./commands/export.js")).exportCommand(refs, flags, io)));
}

/** The commands that run chapters: run and practice. */
function runCommands(program: Command, io: Io, done: (code: number) => void): void {
  runOptions(
    program
      .command("run")
      .description("run chapters on this host and compare every step with its snapshot")
      .argument("[chapters...]", "chapters to run (chapter-07, 07 or 7); their needs run first"),
  )
    .option("--step", "step mode: show each step and wait (Enter runs it; ? lists the keys)")
    .option("--shell [terminal]", "when the steps are done, hand over an interactive shell in a live terminal (default: the container)")
    .option("-u, --update", "rewrite changed snapshot sections and drop obsolete ones")
    .action(async (refs: string[], flags: RunFlags) => done(await (await import("./commands/run.js")).runCommand(refs, flags, io)));
  runOptions(
    program
      .command("practice")
      .description("type every step of chapters yourself; the book checks what you did on this host (their needs run first)")
      .argument("[chapters...]", "chapters to practise (chapter-07, 07 or 7)"),
  ).action(async (refs: string[], flags: RunFlags) => done(await (await import("./commands/practice.js")).practiceCommand(refs, flags, io)));
}

/** The commands about the book and this machine: list, glossary, html, progress, doctor, clean. */
function bookCommands(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command("list")
    .description("list the chapters with their titles and step counts")
    .option(...BOOK)
    .action(async (flags: Flags) => done(await (await import("./commands/list.js")).listCommand(flags, io)));
  program
    .command("glossary")
    .description("explain a term the book uses (or list them all)")
    .argument("[term]", "a term, e.g. whiteout or 'user namespace'")
    .option(...BOOK)
    .action(async (term: string | undefined, flags: Flags) => done(await (await import("./commands/glossary.js")).glossaryCommand(term, flags, io)));
  program
    .command("html")
    .description("write the book as a static website: every chapter with its recorded outputs, viewable offline")
    .option("--out <dir>", "directory to write (new, empty, or an earlier site; default: consh-book-site)")
    .option(...BOOK)
    .action(async (flags: Flags) => done((await import("./commands/html.js")).htmlCommand(flags, io)));
  program
    .command("progress")
    .description("the chapters as passed, failed (at which step) or not yet run on this machine")
    .option("--reset", "forget all progress for this book")
    .option(...BOOK)
    .action(async (flags: Flags) => done(await (await import("./commands/progress.js")).progressCommand(flags, io)));
  program
    .command("doctor")
    .description("check what this host offers and which chapters can run here")
    .option(...BOOK)
    .action(async (flags: Flags) => done(await (await import("./commands/doctor.js")).doctorCommand(flags, io)));
  program
    .command("clean")
    .description("remove what killed runs left on the host (mounts, cgroups, netns, links, processes)")
    .option("--work-dir <dir>", "the --work-dir the runs used")
    .action(async (flags: Flags) => done(await (await import("./commands/clean.js")).cleanCommand(flags, io)));
}

export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = ExitCode.pass;
  const done = (c: number) => {
    code = c;
  };
  const program = new Command("consh-book")
    .description("A workbook that builds Linux containers from the shell, step by step, on this host.")
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(run consh-book --help for usage)");
  bookCommands(program, io, done);
  chapterCommands(program, io, done);
  runCommands(program, io, done);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    return describe(err, io);
  }
  return code;
}
