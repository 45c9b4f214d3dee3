-- 0002_directory_state: the directory state projection, folded from the event log.
-- Released: never edit this file; add a new migration instead.
-- Every row here can be rebuilt from `events` (`syncledger rebuild`).

-- How far each projection has folded the log, written in the same transaction as its rows.
CREATE TABLE projection_checkpoints (
    projection TEXT    PRIMARY KEY NOT NULL,
    last_seq   INTEGER NOT NULL CHECK (last_seq >= 0)
) WITHOUT ROWID;

-- One row per directory object (user, group, contact, resource mailbox), deleted ones included.
CREATE TABLE directory_objects (
    stream          TEXT    PRIMARY KEY NOT NULL,                 -- 'kind:anchor'
    kind            TEXT    NOT NULL CHECK (kind IN ('user', 'group', 'contact', 'resource')),
    anchor          TEXT    NOT NULL,
    subtype         TEXT,                                         -- group kind, resource kind
    display_name    TEXT,
    user_principal_name TEXT,                                     -- users
    mail            TEXT,                                         -- mail / primary SMTP / external address
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),   -- users: sign-in allowed
    deactivated_at  TEXT,                                         -- users: when the current deactivation began
    deleted         INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    pushed          INTEGER NOT NULL CHECK (pushed IN (0, 1)),    -- groups: Group Push on
    left_in_target  INTEGER NOT NULL CHECK (left_in_target IN (0, 1)),  -- groups: push off, kept in Office 365
    attributes      TEXT    NOT NULL,                             -- canonical JSON: source attributes
    direct_edits    TEXT    NOT NULL,                             -- canonical JSON: edits seen in Office 365
    version         INTEGER NOT NULL,
    created_seq     INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL
) WITHOUT ROWID;

CREATE INDEX directory_objects_by_kind ON directory_objects (kind, anchor);
CREATE INDEX directory_objects_by_upn ON directory_objects (user_principal_name) WHERE user_principal_name IS NOT NULL;

-- Users' licenses: a skuId and the service plans not selected.
CREATE TABLE directory_licenses (
    user_stream    TEXT NOT NULL,
    sku_id         TEXT NOT NULL,
    disabled_plans TEXT NOT NULL,                                 -- canonical JSON array of GUIDs
    PRIMARY KEY (user_stream, sku_id)
) WITHOUT ROWID;

-- Users' admin roles.
CREATE TABLE directory_roles (
    user_stream        TEXT NOT NULL,
    role_definition_id TEXT NOT NULL,
    PRIMARY KEY (user_stream, role_definition_id)
) WITHOUT ROWID;

-- Group memberships: member is 'kind:anchor'.
CREATE TABLE directory_members (
    group_stream TEXT NOT NULL,
    member       TEXT NOT NULL,
    PRIMARY KEY (group_stream, member)
) WITHOUT ROWID;

CREATE INDEX directory_members_by_member ON directory_members (member);
