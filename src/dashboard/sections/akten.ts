import { html, type Html } from '../html.js'
import { bytes, duration } from '../format.js'
import type { QueueOverview } from '../../store/types.js'
import type { AkteError, AkteResult } from '../summary.js'
import { akte, badge, cutNote, empty, table, when } from '../parts.js'

/* Every Akte with its last result: status, counts per action kind, bytes moved, errors. */

const MAX_ROWS = 200
const ERRORS_SHOWN = 5

export type QueueState = 'pending' | 'processing' | 'delayed' | 'failed'

/** Where each queued Akte is in the queue, so a result row can say "pending again". */
export function queueStates (queue: QueueOverview): Map<string, QueueState> {
  const states = new Map<string, QueueState>()
  for (const nr of queue.pending) states.set(nr, 'pending')
  for (const d of queue.delayed) states.set(d.aktennummer, 'delayed')
  for (const f of queue.failed) states.set(f.aktennummer, 'failed')
  for (const p of queue.processing) states.set(p.aktennummer, 'processing')
  return states
}

function counts (result: AkteResult): Html {
  const entries = Object.entries(result.counts)
  if (entries.length === 0) return html`<span class="muted">no changes</span>`
  return html`${entries.map(([kind, n], i) => html`${i > 0 ? html`<br>` : null}${kind}: ${n}`)}`
}

function errorItem (error: AkteError): Html {
  return html`<li>${error.path === '' ? null : html`<code>${error.path}</code>: `}${error.message}${error.permanent ? html` <span class="muted">(permanent)</span>` : null}</li>`
}

function errors (result: AkteResult): Html | null {
  if (result.errorCount === 0) return null
  const shown = result.errors.slice(0, ERRORS_SHOWN)
  const more = result.errorCount - shown.length
  return html`<ul class="errors">${shown.map(errorItem)}${more > 0 ? html`<li class="muted">and ${more} more</li>` : null}</ul>`
}

function outcome (result: AkteResult): Html {
  return html`${badge(result.status)}${result.forced ? html` <span class="muted">(forced)</span>` : null}
${result.reason === null ? null : html`<div class="reason">${result.reason}</div>`}
${result.skipped > 0 ? html`<div class="muted">${result.skipped} action(s) left for the next run</div>` : null}${errors(result)}`
}

export function aktenSection (results: readonly AkteResult[], states: ReadonlyMap<string, QueueState>, now: number): Html {
  const shown = results.slice(0, MAX_ROWS)
  const rows = shown.map(r => {
    const state = states.get(r.aktennummer)
    return [
      akte(r.aktennummer),
      state === undefined ? html`<span class="muted">idle</span>` : badge(state),
      outcome(r),
      when(r.finishedAt, now),
      r.durationMs === null ? '-' : duration(r.durationMs),
      counts(r),
      html`to EspoCRM ${bytes(r.bytes.toEspo)}<br>to Windows ${bytes(r.bytes.toWindows)}`
    ]
  })
  return html`<section id="akten" data-refresh aria-labelledby="akten-heading">
<h2 id="akten-heading">Akten and their last sync (${results.length})</h2>
${rows.length === 0
  ? empty('No Akte has been synced yet.')
  : table('Akten and their last sync, newest first', [
    { label: 'Aktennummer' }, { label: 'Queue' }, { label: 'Last result', cell: 'error' }, { label: 'Finished', cell: 'num' },
    { label: 'Duration', cell: 'num' }, { label: 'Actions', cell: 'num' }, { label: 'Transferred', cell: 'num' }
  ], rows)}
${cutNote(rows.length, results.length)}
</section>`
}
