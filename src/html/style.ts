// The site's one stylesheet (written as style.css): readable on a phone and a
// desktop, light and dark, no web fonts, no network.

export const STYLE_CSS = `:root {
  --bg: #fdfcf9; --fg: #1d1f21; --dim: #5f6368; --rule: #e3e0d8; --code-bg: #f3f1ec;
  --out-bg: #14191f; --out-fg: #d7e3d4; --ph: #ffd479; --wild: #8fd3ff; --link: #0b57a4;
  --t0: #1f6f43; --t1: #8a3ffc; --t2: #b4541a; --t3: #0e6e8c; --t4: #a3217a; --t5: #505a00;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #121417; --fg: #e4e2dc; --dim: #9aa0a6; --rule: #2c3036; --code-bg: #1c2026;
    --out-bg: #0b0e12; --link: #8ab4f8; --t0: #5fd38d; --t1: #b794ff; --t2: #f0a060; --t3: #5cc8e6; --t4: #f07ac8; --t5: #c8d45a; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
a { color: var(--link); }
code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: 0.86em; }
:not(pre) > code { background: var(--code-bg); padding: 0.05em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 0.5rem; top: 0.5rem; background: var(--bg); padding: 0.3rem; z-index: 2; }
.bar { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--rule); }
.bar nav { display: flex; gap: 1rem; align-items: baseline; max-width: 46rem; margin: 0 auto; padding: 0.5rem 1rem; white-space: nowrap; overflow: hidden; }
@media (min-width: 72rem) { .bar.wide nav { max-width: 65rem; } }
.bar .home { font-weight: 700; text-decoration: none; color: var(--fg); }
.bar .here { color: var(--dim); overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 1; }
.page { max-width: 46rem; margin: 0 auto; padding: 0 1rem 2rem; }
.toc-side { display: none; }
@media (min-width: 72rem) {
  .page.with-aside { max-width: 74rem; display: grid; grid-template-columns: minmax(0, 46rem) 16rem; gap: 3rem; justify-content: center; }
  .page.with-aside main { grid-column: 1; grid-row: 1; }
  .toc-side { display: block; grid-column: 2; grid-row: 1; position: sticky; top: 3.5rem; align-self: start; max-height: calc(100vh - 4.5rem); overflow-y: auto; padding-top: 1.5rem; font-size: 0.9rem; }
  .with-aside .toc-inline { display: none; }
}
h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 0.8rem; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 0.6rem; padding-top: 0.4rem; border-top: 1px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; }
[id] { scroll-margin-top: 3.5rem; }
.kicker { margin: 1.6rem 0 0; color: var(--dim); text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.8rem; }
.lead { font-size: 1.1rem; }
.meta { margin: 0.2rem 0; color: var(--dim); }
.dim { color: var(--dim); }
.small { font-size: 0.85rem; }
.term { display: inline-block; padding: 0 0.45em; border-radius: 999px; font-size: 0.8rem; font-weight: 600; color: #fff; background: var(--t0); line-height: 1.6; }
.term-1 { background: var(--t1); } .term-2 { background: var(--t2); } .term-3 { background: var(--t3); } .term-4 { background: var(--t4); } .term-5 { background: var(--t5); }
@media (prefers-color-scheme: dark) { .term { color: #111; } }
a.gloss { color: inherit; text-decoration: underline dotted var(--link); text-underline-offset: 0.2em; }
a.gloss:hover { color: var(--link); }
.gloss-index p { font-size: 0.92rem; line-height: 1.9; }
.gloss-entry h2 { font-size: 1.2rem; }
.run { margin: 0.8rem 0; }
.run-label { display: block; font-size: 0.9rem; color: var(--dim); }
.verified { font-size: 0.9rem; color: var(--dim); }
.toc h2 { font-size: 1rem; margin: 0 0 0.3rem; border: 0; padding: 0; }
.toc ol { list-style: none; padding: 0; margin: 0; }
.toc li { margin: 0.15rem 0; }
.toc .toc-h3 { padding-left: 1rem; }
.toc-steps { list-style: none; padding: 0 0 0 0.8rem; margin: 0.1rem 0 0.3rem; display: flex; flex-wrap: wrap; gap: 0.1rem 0.7rem; font-size: 0.82rem; }
.toc-steps a { font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: var(--dim); }
.toc-inline .toc { border: 1px solid var(--rule); border-radius: 8px; padding: 0.7rem 1rem; margin: 1rem 0; }
.legend { border: 1px solid var(--rule); border-radius: 8px; padding: 0.2rem 1rem 0.6rem; margin: 1rem 0; font-size: 0.92rem; }
.legend h2 { font-size: 1rem; border: 0; margin: 0.6rem 0 0.2rem; padding: 0; }
.legend p { margin: 0.2rem 0 0.5rem; }
.legend dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; margin: 0; }
.legend dt { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.86em; }
.legend dd { margin: 0; }
.legend .ph, .legend .wild, .legend .seen { background: var(--out-bg); padding: 0 0.3em; border-radius: 3px; }
pre { margin: 0; padding: 0.7rem 0.9rem; overflow-x: auto; line-height: 1.45; }
pre.cmd, pre.prose-code { background: var(--code-bg); border-radius: 6px; }
.step, .tangle { margin: 1.1rem 0 1.4rem; }
.step-head { display: flex; flex-wrap: wrap; gap: 0.2rem 0.6rem; align-items: baseline; font-size: 0.85rem; margin-bottom: 0.25rem; }
.step-id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: var(--dim); text-decoration: none; }
.step-id:hover { text-decoration: underline; }
.attrs { color: var(--dim); }
.file-label { font-weight: 600; }
.step pre.cmd { border-radius: 6px 6px 0 0; }
.out { background: var(--out-bg); color: var(--out-fg); border-radius: 0 0 6px 6px; }
.out-head { font-size: 0.75rem; color: #9fb0a3; padding: 0.35rem 0.9rem 0; text-transform: uppercase; letter-spacing: 0.05em; }
.out .dim { color: #9fb0a3; }
.out .small { padding: 0 0.9rem 0.4rem; }
pre.output { color: var(--out-fg); }
.ph { color: var(--ph); }
.wild { color: var(--wild); font-weight: 700; }
.seen { color: var(--ph); text-decoration: underline dotted; text-underline-offset: 0.2em; }
.seen-note { font-size: 0.8rem; color: #9fb0a3; padding: 0 0.9rem 0.45rem; }
.out-none { margin: 0; padding: 0.4rem 0.9rem 0.6rem; font-size: 0.9rem; color: var(--dim); background: var(--code-bg); border-radius: 0 0 6px 6px; border-top: 1px dashed var(--rule); }
.out .out-none { background: transparent; color: #9fb0a3; border: 0; }
figure.picture { margin: 1.5rem 0; text-align: center; }
figure.picture img { max-width: 100%; height: auto; background: #fff; border: 1px solid var(--rule); border-radius: 8px; }
figure.picture figcaption { font-size: 0.9rem; color: var(--dim); margin-top: 0.3rem; }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 2.5rem 0 0; padding-top: 1rem; border-top: 1px solid var(--rule); }
.pager a { max-width: 48%; }
.pager .next { text-align: right; margin-left: auto; }
.chapters { list-style: none; padding: 0; margin: 0; }
.chapter-item { display: flex; gap: 0.9rem; padding: 0.7rem 0; border-bottom: 1px solid var(--rule); }
.chapter-item .num { flex: 0 0 2rem; font-size: 1.4rem; font-weight: 700; color: var(--dim); text-align: right; line-height: 1.3; }
.chapter-item .title { font-weight: 600; font-size: 1.08rem; }
.scroll { overflow-x: auto; }
table.hosts { border-collapse: collapse; font-size: 0.88rem; min-width: 100%; }
table.hosts th, table.hosts td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--rule); white-space: nowrap; }
table.hosts tr.bad td:last-child { color: #c5221f; }
.note { border-left: 4px solid var(--ph); padding: 0.3rem 0.8rem; background: var(--code-bg); }
.foot { border-top: 1px solid var(--rule); color: var(--dim); font-size: 0.85rem; }
.foot p { max-width: 46rem; margin: 0 auto; padding: 1rem; }
@media (max-width: 30rem) {
  body { font-size: 16px; }
  h1 { font-size: 1.6rem; }
  pre { padding: 0.6rem 0.7rem; font-size: 0.8rem; }
  .bar nav { gap: 0.7rem; }
}
`;
