import { randomBytes } from 'node:crypto'
import { html, trusted, type Html } from './html.js'
import { STYLES } from './styles.js'

/*
 * The frame of every dashboard page and the headers it is sent with. The
 * Content-Security-Policy allows only this response's own <style> and
 * <script> (by nonce) and same-origin requests: should a hostile value ever
 * slip past escaping, the browser still will not run it.
 */

export interface PageOptions {
  title: string
  nonce: string
  body: Html
  /** Only the dashboard (logged in) has one; its script sends it with every POST. */
  csrf?: string
  /** The page script, when the page has one. */
  script?: string
}

export function newNonce (): string {
  return randomBytes(16).toString('base64')
}

export function htmlHeaders (nonce: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    // Queue contents and error texts are confidential: nothing may keep a copy.
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer'
  }
}

export function renderPage (options: PageOptions): string {
  const { title, nonce, body, csrf, script } = options
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
${csrf === undefined ? null : html`<meta name="csrf-token" content="${csrf}">`}
<title>${title}</title>
<style nonce="${nonce}">${trusted(STYLES)}</style>
</head>
<body>
${body}
${script === undefined ? null : html`<script nonce="${nonce}">${trusted(script)}</script>`}
</body>
</html>
`.value
}
