/**
 * `@kakunin/simulator/faults`: fault injection for tests — drop, delay, corrupt, remove or answer
 * with a status, at the card endpoint or at the transport.
 *
 * @example
 * ```ts
 * import { injectTransportFaults } from '@kakunin/simulator/faults';
 * const faulty = injectTransportFaults(transport, [{ type: 'delay', ms: 50 }]);
 * ```
 */
export { FaultInjector, type FaultInjectorOptions } from './fault-injector.js';
export {
  type CommandMatcher,
  type CorruptRule,
  type DelayRule,
  type DropRule,
  type FaultEvent,
  type FaultRule,
  matchesCommand,
  type RemoveRule,
  type StatusRule,
} from './fault-rule.js';
export { FaultyCardEndpoint, injectCardFaults } from './faulty-card-endpoint.js';
export { FaultyTransport, type FaultyTransportOptions, injectTransportFaults } from './faulty-transport.js';
