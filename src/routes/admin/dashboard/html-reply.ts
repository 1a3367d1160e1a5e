import type { FastifyReply, FastifyRequest } from 'fastify'
import { htmlHeaders, newNonce } from '../../../dashboard/page.js'

/** Sends a page built for a fresh CSP nonce, with the dashboard's security headers. */
export async function sendPage (reply: FastifyReply, code: number, build: (nonce: string) => string): Promise<FastifyReply> {
  const nonce = newNonce()
  return await reply.code(code).headers(htmlHeaders(nonce)).send(build(nonce))
}

/** Secure cookies when the browser reached us over HTTPS, directly or through a TLS-terminating proxy. */
export function viaHttps (request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https'
}
