-- A database as firedrill 0.1 wrote it: the foundation's schema (store.c
-- migration entry 0, user_version 1) with one finished, scored session.
-- tests/unit/test-store.c opens it with store_open to check the migration.
CREATE TABLE players (
  id INTEGER PRIMARY KEY,
  name TEXT UNIQUE NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  player_id INTEGER NOT NULL REFERENCES players (id),
  incident TEXT NOT NULL,
  seed INTEGER NOT NULL,
  engine_version TEXT,
  api_version INTEGER,
  mode TEXT,
  started_at INTEGER,
  ended_at INTEGER,
  outcome TEXT,
  sim_ms INTEGER,
  state_hash TEXT
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL
    REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  kind TEXT,
  actor TEXT,
  text TEXT
);
CREATE UNIQUE INDEX events_session_seq ON events (session_id, seq);
CREATE TABLE scores (
  session_id INTEGER PRIMARY KEY
    REFERENCES sessions (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  total INTEGER NOT NULL,
  grade TEXT,
  detect_ms INTEGER,
  triage_ms INTEGER,
  mitigate_ms INTEGER,
  fix_ms INTEGER,
  budget_burned_pct REAL,
  breakdown_json TEXT
);

INSERT INTO players (id, name, created_at) VALUES (1, 'alice', 1700000000);
INSERT INTO sessions (id, player_id, incident, seed, engine_version,
    api_version, mode, started_at, ended_at, outcome, sim_ms, state_hash)
  VALUES (1, 1, 'db-pool-exhaustion', 42, '0.1.0', 1, 'run', 1700000000,
    1700000900, 'won', 845000, '9f2c');
INSERT INTO events (session_id, seq, t_ms, kind, actor, text) VALUES
  (1, 0, 0, 'start', 'system', 'db-pool-exhaustion'),
  (1, 1, 90000, 'alert_fired', 'system', 'ALRT-POOL'),
  (1, 2, 95000, 'command', 'player', 'ack ALRT-POOL'),
  (1, 3, 95000, 'phase', 'system', 'DETECT'),
  (1, 4, 140000, 'command', 'player', 'breaker open order->payment'),
  (1, 5, 845000, 'end', 'system', 'won');
INSERT INTO scores (session_id, version, total, grade, detect_ms, triage_ms,
    mitigate_ms, fix_ms, budget_burned_pct, breakdown_json)
  VALUES (1, 1, 712, 'B', 5000, 240000, NULL, NULL, 37.5,
    '{"detect":100}');
PRAGMA user_version = 1;
