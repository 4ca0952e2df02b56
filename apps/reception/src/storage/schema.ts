/**
 * The reception database schema, as ordered migrations. Every table the app writes is here; the
 * qualification stand-in keeps its own tables (prefixed `oqs_`) in the same file so a demo runs from
 * one SQLite file.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE facility (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE account (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_passwords INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE device (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'released')),
    registered_at TEXT NOT NULL,
    released_at TEXT,
    registered_by TEXT NOT NULL REFERENCES account(id),
    account_id TEXT REFERENCES account(id),
    passcode_hash TEXT,
    failed_passcodes INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE session (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES device(id),
    account_id TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  );
  CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE notice (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    published_at TEXT NOT NULL,
    title_ja TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_ja TEXT NOT NULL,
    body_en TEXT NOT NULL
  );
  CREATE TABLE notice_read (
    notice_id INTEGER NOT NULL REFERENCES notice(id),
    account_id TEXT NOT NULL REFERENCES account(id),
    read_at TEXT NOT NULL,
    PRIMARY KEY (notice_id, account_id)
  );
  CREATE TABLE patient_record (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference_number TEXT UNIQUE,
    insurer_number TEXT NOT NULL,
    symbol TEXT NOT NULL,
    number TEXT NOT NULL,
    branch TEXT NOT NULL,
    family_class TEXT,
    name TEXT NOT NULL,
    name_kana TEXT,
    birthdate TEXT,
    sex TEXT,
    copayment_ratio INTEGER,
    valid_from TEXT,
    valid_until TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (insurer_number, symbol, number, branch)
  );
  CREATE TABLE qualification_check (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    staff_account TEXT NOT NULL,
    device_id TEXT NOT NULL,
    reader_id TEXT,
    reader_setup TEXT,
    mode TEXT NOT NULL CHECK (mode IN ('pin', 'visual')),
    status TEXT NOT NULL,
    visual_staff_id TEXT,
    visual_confirmed_at TEXT,
    error_code TEXT,
    remedy_key TEXT,
    failure_category INTEGER,
    qualification_validity TEXT,
    processing_result_code TEXT,
    result_json TEXT,
    reconciliation_json TEXT,
    patient_record_id INTEGER REFERENCES patient_record(id)
  );
  CREATE TABLE fallback_record (
    id TEXT PRIMARY KEY,
    check_id TEXT REFERENCES qualification_check(id),
    created_at TEXT NOT NULL,
    staff_account TEXT NOT NULL,
    failure_category INTEGER NOT NULL CHECK (failure_category IN (1, 2, 3)),
    evidence TEXT NOT NULL,
    data_json TEXT NOT NULL,
    requery_on TEXT,
    document_sha256 TEXT
  );
  CREATE TABLE fallback_document (
    fallback_id TEXT PRIMARY KEY REFERENCES fallback_record(id),
    media_type TEXT NOT NULL,
    content BLOB NOT NULL
  );
  CREATE TABLE audit_event (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    data_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TABLE oqs_person (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    data_json TEXT NOT NULL
  );
  CREATE TABLE oqs_card_link (
    certificate_key TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES oqs_person(id),
    linked_at TEXT NOT NULL
  );
  CREATE TABLE oqs_challenge (
    id TEXT PRIMARY KEY,
    nonce BLOB NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );
  CREATE TABLE oqs_query_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    certificate_key TEXT,
    mode TEXT NOT NULL,
    segment_of_result TEXT NOT NULL,
    qualification_validity TEXT,
    processing_result_code TEXT
  );
  `,
  // 2: the login guard counts wrong passwords per account id, real or unknown (enumeration-proof),
  // and sessions are looked up by device and by account; audit events say how they are chained.
  `
  CREATE TABLE login_guard (
    account_id TEXT PRIMARY KEY,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_attempt_at TEXT NOT NULL
  );
  CREATE INDEX login_guard_last_attempt ON login_guard (last_attempt_at);
  CREATE INDEX session_device ON session (device_id);
  CREATE INDEX session_account ON session (account_id);
  ALTER TABLE audit_event ADD COLUMN chain TEXT NOT NULL DEFAULT 'sha256';
  `,
  // 3: optimistic versions of patient records (two desks updating one patient), and the desk that
  // started a check (PostgreSQL sets it per connection; one SQLite file is one desk).
  `
  ALTER TABLE patient_record ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE qualification_check ADD COLUMN desk TEXT;
  `,
];
