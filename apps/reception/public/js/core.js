// Shared helpers of the web UI: the state, the i18n lookup t(), DOM building with h() (text only,
// never innerHTML), form helpers and API errors in words.
import { STRINGS } from '../i18n.js';

export const state = {
  lang: localStorage.getItem('kakunin.lang') === 'en' ? 'en' : 'ja',
  app: null,
  view: 'check',
  check: null,
  pollTimer: null,
  fallback: null,
};

// ---------- helpers ----------
export function t(key, values = {}) {
  const text = STRINGS[state.lang][key] ?? STRINGS.ja[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** t(key), or t(fallbackKey) when the table has no such key (never the key itself on screen). */
export function tOr(key, fallbackKey, values = {}) {
  return (STRINGS[state.lang][key] ?? STRINGS.ja[key]) === undefined
    ? t(fallbackKey, values)
    : t(key, values);
}

export function loc(text) {
  if (text === null || text === undefined) return '';
  return typeof text === 'string' ? text : (text[state.lang] ?? text.ja ?? '');
}

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'className') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function field(labelText, input) {
  return h('div', {}, h('label', { for: input.id }, labelText), input);
}

export function input(id, attributes = {}) {
  return h('input', { id, name: id, type: 'text', autocomplete: 'off', ...attributes });
}

export function value(id) {
  const element = /** @type {HTMLInputElement | null} */ (document.getElementById(id));
  return element ? element.value : '';
}

export function message(kind, text, testId) {
  return h(
    'div',
    { className: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testId },
    text,
  );
}

export function formatTime(iso) {
  try {
    return new Date(iso).toLocaleString(state.lang === 'ja' ? 'ja-JP' : 'en-GB');
  } catch {
    return iso;
  }
}

export function stopPolling() {
  if (state.pollTimer !== null) clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

/** Words for the form fields the server may name in a validation error. */
export const FIELD_LABEL_KEYS = {
  name: 'fieldName',
  nameKana: 'fieldKana',
  birthdate: 'fieldBirthdate',
  sex: 'fieldSex',
  address: 'address',
  phone: 'phone',
  insuranceType: 'insuranceType',
  insurerOrEmployerName: 'insurerOrEmployer',
  insurerNumber: 'fieldInsurerNumber',
  symbol: 'fieldSymbol',
  number: 'fieldNumber',
  branch: 'fieldBranch',
  visitDate: 'visitDate',
  reviewBody: 'reviewBody',
  passcode: 'passcode',
  facilityCode: 'facilityCode',
  facilityName: 'facilityName',
  accountId: 'accountId',
  displayName: 'displayName',
  password: 'password',
  device: 'deviceName',
  staffId: 'staffId',
  copaymentRatio: 'fieldRatio',
  familyClass: 'fieldFamily',
  validFrom: 'fieldValidFrom',
  validUntil: 'fieldValidUntil',
  insuredCardSymbol: 'fieldSymbol',
  insuredIdentificationNumber: 'fieldNumber',
  insuredBranchNumber: 'fieldBranch',
  personalFamilyClassification: 'fieldFamily',
  insuredPartialContributionRatio: 'fieldRatio',
  insuredCardValidDate: 'fieldValidFrom',
  insuredCardExpirationDate: 'fieldValidUntil',
  referenceNumber: 'referenceNumber',
  birthDate: 'fieldBirthdate',
};

export function fieldLabel(field) {
  const key = FIELD_LABEL_KEYS[field];
  return key ? t(key) : t('fieldOther');
}

/**
 * An API error in words: the server's code (or the field and rule of a validation error, or the
 * localized reason of a refusal) looked up in the i18n table — never the server's English message.
 */
export function errorText(error) {
  const body = error?.body ?? {};
  if (body.reason && typeof body.reason === 'object') return loc(body.reason);
  if ((body.code === 'BAD_REQUEST' || body.code === 'NUMBERS_QUERY_INVALID') && body.field) {
    const specific = `error_field_${body.field}`;
    if (STRINGS[state.lang][specific] ?? STRINGS.ja[specific]) return t(specific);
    return tOr(`error_rule_${body.rule ?? 'format'}`, 'error_rule_format', { field: fieldLabel(body.field) });
  }
  const key = body.code ? `error_${body.code}` : '';
  if (key !== '' && (STRINGS[state.lang][key] ?? STRINGS.ja[key])) return t(key);
  if (error?.status === undefined) return t('errorNetwork');
  return t('errorGeneric');
}

// ---------- frame ----------
/** A form control by id (input, select), typed for its value and checked state. */
export function control(id) {
  return /** @type {HTMLInputElement | null} */ (document.getElementById(id));
}

/** Whether the checkbox with this id is ticked. */
export function isChecked(id) {
  return control(id)?.checked === true;
}

export function setMain(...children) {
  const main = document.getElementById('app');
  main.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== ''));
}

export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A 4-digit PIN field (password, numeric keyboard), described by the element with `describedBy`. */
export function pinField(id, testId, describedBy) {
  return input(id, {
    type: 'password',
    inputmode: 'numeric',
    maxlength: 4,
    pattern: '[0-9]{4}',
    className: 'pin',
    'data-testid': testId,
    'aria-describedby': describedBy,
  });
}

/** Shows a button as busy (disabled, spinner, `aria-busy`) while its request is at the card. */
export function showBusy(button, text) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.replaceChildren(h('span', { className: 'spinner', 'aria-hidden': 'true' }), text);
}
