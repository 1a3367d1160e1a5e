import { html, type Html, type HtmlValue } from './html.js'
import { berlinTime, relative } from './format.js'

/* Small pieces the dashboard's sections share. */

const STATUS_CLASSES = new Set(['synced', 'partial', 'failed', 'blocked', 'pending', 'processing', 'delayed'])

/** A status as a coloured badge; unknown statuses are shown as they are, in a neutral colour. */
export function badge (status: string): Html {
  const css = STATUS_CLASSES.has(status) ? `s-${status}` : 's-other'
  return html`<span class="badge ${css}">${status}</span>`
}

export function akte (aktennummer: string): Html {
  return html`<span class="akte">${aktennummer}</span>`
}

export type AkteAction = 'retry' | 'force'

/** A button the page script turns into a POST to the admin API (reading needs no script, acting does). */
export function actionButton (action: AkteAction, aktennummer: string, label: string): Html {
  return html`<button type="button" data-action="${action}" data-akte="${aktennummer}" aria-label="${label} Akte ${aktennummer}">${label}</button>`
}

/** An instant in Berlin time with how long ago it was; machine-readable in `datetime`. */
export function when (at: number | string | null, now: number): Html {
  if (at === null) return html`<span class="muted">-</span>`
  const iso = new Date(at).toISOString()
  return html`<time datetime="${iso}">${berlinTime(at)}</time><br><span class="muted">${relative(at, now)}</span>`
}

export interface Column {
  label: string
  /** Extra class on the cells, e.g. 'num'. */
  cell?: string
}

/** A table with a caption (for screen readers) and column headers; `rows` are the cells of each row. */
export function table (caption: string, columns: readonly Column[], rows: readonly (readonly HtmlValue[])[]): Html {
  const body = rows.map(cells => html`<tr>${cells.map((cell, i) => {
    const css = columns[i]?.cell
    return css === undefined ? html`<td>${cell}</td>` : html`<td class="${css}">${cell}</td>`
  })}</tr>\n`)
  return html`<div class="table-wrap"><table>
<caption class="visually-hidden">${caption}</caption>
<thead><tr>${columns.map(c => html`<th scope="col">${c.label}</th>`)}</tr></thead>
<tbody>
${body}</tbody>
</table></div>`
}

export function empty (message: string): Html {
  return html`<p class="empty">${message}</p>`
}

/** "Showing 200 of 1,204." when a list was cut. */
export function cutNote (shown: number, total: number): Html | null {
  return shown < total ? html`<p class="note">Showing ${shown} of ${total}.</p>` : null
}
