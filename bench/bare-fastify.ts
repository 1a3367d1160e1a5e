import Fastify from 'fastify'

/*
 * The baseline of the intake benchmark: a bare Fastify route on the same
 * machine, in its own process like the service, taking the same JSON body.
 */

const app = Fastify({ logger: false })
app.post('/webhooks/espocrm', async request => ({ received: Array.isArray(request.body) ? request.body.length : 0 }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
console.log('ready')
