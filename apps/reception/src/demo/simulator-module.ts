/**
 * The demo's virtual-card desk as a module of the reception server: `/api/simulator` (the desk's
 * state) and `/api/simulator/:action` (insert, remove, reset, unplug, plug). Added by the start
 * script (`startReceptionApp`) or a test; the app's core knows nothing of the simulator.
 *
 * @example
 * ```ts
 * const server = await startReceptionServer({ …, modules: [createSimulatorModule(desk)] });
 * ```
 */

import type { ReceptionModule } from '../http/context.js';
import { HttpError, readJson, sendJson } from '../http/http-helpers.js';
import type { SimulatorDesk } from '../simulator/simulator-desk.js';

const ACTIONS = new Set(['insert', 'remove', 'reset', 'unplug', 'plug']);

export function createSimulatorModule(desk: SimulatorDesk): ReceptionModule {
  if (desk === null || typeof desk !== 'object')
    throw new TypeError('createSimulatorModule: desk is required');
  const deskState = () => ({
    readerId: desk.readerId,
    presentation: desk.presentation,
    profiles: desk.profiles,
    current: desk.current ?? null,
    plugged: desk.plugged,
  });
  return {
    name: 'simulator',
    routes: (router, app) => {
      router.get('/api/simulator', (context) => {
        app.requireReady(context);
        sendJson(context.response, 200, deskState());
      });
      router.post('/api/simulator/:action', async (context, { action }) => {
        const actor = app.requireReady(context);
        const body = await readJson(context.request, app.config.limits.jsonBodyBytes);
        const profileText = String(body.profile ?? '');
        const profile = profileText as Parameters<SimulatorDesk['insert']>[0];
        if (!ACTIONS.has(action!)) throw new HttpError(404, 'NOT_FOUND', 'unknown simulator action');
        if (action === 'insert') desk.insert(profile);
        else if (action === 'remove') desk.remove();
        else if (action === 'reset') desk.reset(profileText === '' ? undefined : profile);
        else if (action === 'unplug') desk.unplug();
        else desk.plug();
        app.services.audit.append({ actor, action: `simulator.${action}`, data: { profile } });
        // Through vpcd the card reaches pcscd asynchronously: answer once it is there (or why not).
        try {
          await desk.settled();
        } catch (error) {
          throw new HttpError(503, 'SIMULATOR_UNAVAILABLE', (error as Error).message);
        }
        sendJson(context.response, 200, deskState());
      });
    },
  };
}
