import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import pages from './pages.js'
import login from './login.js'
import aktenList from './akten.js'

/** The status dashboard at /admin/ with its login, and the Akten list it shares with the CLI. */
const adminDashboard: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(pages)
  await app.register(login)
  await app.register(aktenList)
}

export default adminDashboard
export { adminAuth } from './auth.js'
