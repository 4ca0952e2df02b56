/** Every route group of the app's core, in the order they are matched. */
import type { RouteGroup } from '../context.js';
import { checkRoutes } from './check-routes.js';
import { fallbackRoutes } from './fallback-routes.js';
import { numbersCheckRoutes } from './numbers-check-routes.js';
import { readerRoutes } from './reader-routes.js';
import { sessionRoutes } from './session-routes.js';
import { standInRoutes } from './stand-in-routes.js';
import { supportRoutes } from './support-routes.js';
import { trustRootRoutes } from './trust-root-routes.js';

export const CORE_ROUTE_GROUPS: readonly RouteGroup[] = [
  sessionRoutes,
  readerRoutes,
  checkRoutes,
  numbersCheckRoutes,
  fallbackRoutes,
  supportRoutes,
  standInRoutes,
  trustRootRoutes,
];
