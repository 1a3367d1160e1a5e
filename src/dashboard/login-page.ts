import { html, type Html } from './html.js'
import { renderPage } from './page.js'

/* The pages without a session: the token form, and the ones that say why there is no dashboard. */

function messagePage (nonce: string, title: string, body: Html): string {
  return renderPage({
    title: `advoware-sync admin: ${title}`,
    nonce,
    body: html`<main class="login">
<h1>advoware-sync admin</h1>
${body}
</main>`
  })
}

export function renderLoginPage (nonce: string, error?: string): string {
  return messagePage(nonce, 'log in', html`${error === undefined ? null : html`<p class="alert" role="alert">${error}</p>`}
<form method="post" action="login">
<label for="token">Admin token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
<p class="note">The value of <code>ADMIN_TOKEN</code> in the service's configuration.</p>
<button type="submit">Log in</button>
</form>`)
}

export function renderDisabledPage (nonce: string): string {
  return messagePage(nonce, 'disabled', html`<p class="alert" role="alert">The admin UI is disabled: no <code>ADMIN_TOKEN</code> is configured.</p>
<p class="note">Set <code>ADMIN_TOKEN</code> (at least 8 characters) and restart the service to use the dashboard and the admin API.</p>`)
}

export function renderUnavailablePage (nonce: string): string {
  return messagePage(nonce, 'unavailable', html`<p class="alert" role="alert">The store is unavailable, so the queue cannot be shown. Try again in a moment.</p>
<p><a href="./">Reload</a></p>`)
}

export function renderForbiddenPage (nonce: string): string {
  return messagePage(nonce, 'refused', html`<p class="alert" role="alert">This request did not come from the dashboard page, so it was refused.</p>
<p><a href="./">Back to the dashboard</a></p>`)
}
