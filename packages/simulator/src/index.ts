export type { VirtualCardEndpoint } from './card-endpoint.js';
