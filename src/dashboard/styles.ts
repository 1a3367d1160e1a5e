/* The dashboard's stylesheet, inlined into every page (no asset route, no build step). */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --fg: #1d2330; --muted: #5b6475; --card: #fff; --line: #d9dde5; --accent: #1f5fbf;
  --ok: #1d7a3a; --warn: #9a6200; --bad: #b3261e; --hold: #6a3fb5; --quiet: #5b6475;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #14171c; --fg: #e6e9ef; --muted: #a2aab8; --card: #1d2128; --line: #343a45; --accent: #7aa7ff;
    --ok: #5cc47e; --warn: #e0a84a; --bad: #ff8a80; --hold: #b59cff; --quiet: #a2aab8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; justify-content: space-between;
  padding: .75rem 1.5rem; background: var(--card); border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 1.2rem; margin: 0; }
main { padding: 1rem 1.5rem 3rem; max-width: 110rem; margin: 0 auto; }
section { margin: 0 0 1.5rem; }
h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: .95rem; margin: 1rem 0 .4rem; color: var(--muted); }
p.note, .muted { color: var(--muted); }
p.empty { color: var(--muted); margin: .25rem 0 .75rem; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; margin: 0; }
.cards li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem; min-width: 8.5rem; }
.cards .n { display: block; font-size: 1.6rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.cards .bad .n { color: var(--bad); } .cards .warn .n { color: var(--warn); } .cards .hold .n { color: var(--hold); }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45rem .7rem; border-bottom: 1px solid var(--line); }
tr:last-child td { border-bottom: 0; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); white-space: nowrap; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.error, td.reason { max-width: 40rem; overflow-wrap: anywhere; }
code, .akte { font-family: ui-monospace, SFMono-Regular, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; padding: 0; margin: 0; }
.chips li { background: var(--card); border: 1px solid var(--line); border-radius: 999px; padding: .1rem .6rem; }
.badge { display: inline-block; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; }
.s-synced { color: var(--ok); } .s-partial, .s-delayed { color: var(--warn); } .s-failed { color: var(--bad); }
.s-blocked { color: var(--hold); } .s-pending, .s-processing { color: var(--accent); } .s-other { color: var(--quiet); }
ul.errors { margin: .25rem 0 0; padding-left: 1.1rem; }
ul.errors li { overflow-wrap: anywhere; }
button, .btn { font: inherit; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff;
  padding: .3rem .8rem; cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button:disabled { opacity: .55; cursor: progress; }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
form.inline { display: inline; margin: 0; }
.status { min-height: 1.4em; margin: .25rem 0; }
.status[data-kind="error"] { color: var(--bad); } .status[data-kind="ok"] { color: var(--ok); }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
textarea, input[type="password"] { font: inherit; width: 100%; max-width: 32rem; padding: .4rem .5rem; border: 1px solid var(--line);
  border-radius: 6px; background: var(--card); color: var(--fg); }
.login { max-width: 26rem; margin: 12vh auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.5rem; }
.login h1 { font-size: 1.2rem; margin-top: 0; }
.login button { margin-top: .75rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.alert { border: 1px solid var(--bad); color: var(--bad); border-radius: 6px; padding: .5rem .75rem; margin: .5rem 0; }
`
