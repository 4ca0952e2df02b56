/**
 * J-LIS root certificates (trust anchors) setting: `GET /api/trust-roots` lists every root
 * generation (compiled in, added on this machine, or missing); `POST /api/trust-roots`
 * `{ certificate: PEM or base64 DER, fingerprint: SHA-256 }` adds one through the registry's
 * checks (self-signed, J-LIS subject, known serial and validity, fingerprint equal to the one the
 * operator read off J-LIS's page). Stored in the per-machine configuration directory; the
 * validator picks it up at the next start. Audited as `trust.root-added`.
 */
import { addJpkiRoot, jpkiRootRows, loadJpkiTrustStore } from '@kakunin/core/trust-store';
import type { RouteGroup } from '../context.js';
import { HttpError, readJson, sendJson } from '../http-helpers.js';

/** A root is ~1.5 KB; PEM of it ~2 KB. */
const MAX_ROOT_TEXT = 16 * 1024;

export const trustRootRoutes: RouteGroup = (router, app) => {
  const env = app.config.env;

  router.get('/api/trust-roots', async (context) => {
    app.requireReady(context);
    const store = await loadJpkiTrustStore({ env });
    sendJson(context.response, 200, {
      directory: store.directory,
      roots: jpkiRootRows(store, new Date()),
      refused: store.skipped,
    });
  });

  router.post('/api/trust-roots', async (context) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, 64 * 1024);
    const text = body.certificate;
    const fingerprint = body.fingerprint;
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_ROOT_TEXT)
      throw new HttpError(400, 'BAD_CERTIFICATE', 'certificate: PEM text or base64 DER (≤ 16 KiB)');
    if (fingerprint !== undefined && typeof fingerprint !== 'string')
      throw new HttpError(400, 'BAD_FINGERPRINT', 'fingerprint must be a string');
    const bytes = text.includes('-----BEGIN')
      ? new TextEncoder().encode(text)
      : new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
    const result = await addJpkiRoot(bytes, { env, ...(fingerprint === undefined ? {} : { fingerprint }) });
    if (!result.ok) {
      sendJson(context.response, 422, {
        error: { code: 'ROOT_REFUSED', reason: result.code, message: result.reason },
        sha256: result.sha256 ?? null,
      });
      return;
    }
    if (!result.alreadyInstalled)
      app.services.audit.append({
        actor,
        action: 'trust.root-added',
        subject: result.id,
        data: { generation: result.generation, purpose: result.purpose, sha256: result.sha256 },
      });
    sendJson(context.response, 200, { ...result, restartRequired: !result.alreadyInstalled });
  });
};
