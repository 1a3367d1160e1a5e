import t from 'tap'
import { MemoryStore } from '../../src/store/memory-store.js'
import { storeContract } from './store-contract.js'

storeContract(t, async (_t, clock) => new MemoryStore({ now: () => clock.now }))
