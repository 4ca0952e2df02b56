/**
 * `@kakunin/core/cms`: CMS (RFC 5652) detached signatures, `.p7s` files that `openssl cms -verify`
 * and other CMS verifiers accept, signed by the card. No I/O: the card signs through a callback.
 *
 * @example
 * ```ts
 * import { createDetachedSignature } from '@kakunin/core/cms';
 * const p7s = await createDetachedSignature({ content, certificate, sign: (data) => card.sign('sign', data) });
 * ```
 */
export {
  assembleSignedData,
  CMS_OID,
  createDetachedSignature,
  type DetachedSignatureOptions,
  type SignedDataParts,
  signedAttributes,
} from './signed-data.js';
