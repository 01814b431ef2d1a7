/// Migration 1: the whole data model of the clans plan (seed) plus what it assumes.
/// SHIPPED: never edit this text. Change the schema with a new migration appended to `Migrations.all`.
///
/// Conventions: every time is INTEGER Unix epoch milliseconds (UTC); booleans are INTEGER 0/1;
/// enums are TEXT with a CHECK; Discord snowflakes are TEXT of digits; JSON is TEXT checked by json_valid.
enum Migration001InitialSchema {
    static let migration = Migration(version: 1, name: "initial_schema", sql: sql, postgresSQL: postgresSQL)

    static let sql = """
    -- OSRS accounts. normalised_name is the lookup key (lower case, '_' and '-' as spaces, trimmed).
    CREATE TABLE accounts (
        id                INTEGER PRIMARY KEY,
        display_name      TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 12),
        normalised_name   TEXT    NOT NULL UNIQUE CHECK (length(normalised_name) BETWEEN 1 AND 12),
        resolved_mode     TEXT    CHECK (resolved_mode IN ('regular', 'ironman', 'hardcore', 'ultimate')),
        mode_checked_at   INTEGER,
        first_snapshot_at INTEGER,
        last_snapshot_at  INTEGER,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL
    ) STRICT;

    -- One hiscores fetch of one account. Totals are copied out of the Overall row for cheap sorting.
    CREATE TABLE snapshots (
        id             INTEGER PRIMARY KEY,
        account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        fetched_at     INTEGER NOT NULL,
        requested_mode TEXT    NOT NULL CHECK (requested_mode IN
                           ('regular', 'ironman', 'hardcore', 'ultimate', 'deadman', 'seasonal', 'tournament', 'fresh_start')),
        resolved_mode  TEXT    CHECK (resolved_mode IN ('regular', 'ironman', 'hardcore', 'ultimate')),
        latency_ms     INTEGER NOT NULL CHECK (latency_ms >= 0),
        total_xp       INTEGER NOT NULL,
        total_level    INTEGER NOT NULL
    ) STRICT;
    -- Latest snapshot of an account, last at or before a time, all inside a window.
    CREATE INDEX snapshots_by_account_time ON snapshots (account_id, fetched_at);

    -- Metric names are data: a new boss is a new row, not a release.
    CREATE TABLE skills (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
        display_order INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE activities (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
        category      TEXT    NOT NULL CHECK (category IN ('boss', 'clue', 'minigame', 'points', 'other')),
        display_order INTEGER NOT NULL
    ) STRICT;

    -- Every skill and activity of a snapshot as served; -1 means unranked and is kept as such.
    CREATE TABLE snapshot_skills (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        skill_id    INTEGER NOT NULL REFERENCES skills(id) ON DELETE RESTRICT,
        rank        INTEGER NOT NULL,
        level       INTEGER NOT NULL,
        xp          INTEGER NOT NULL,
        PRIMARY KEY (snapshot_id, skill_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE snapshot_activities (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE RESTRICT,
        rank        INTEGER NOT NULL,
        score       INTEGER NOT NULL,
        PRIMARY KEY (snapshot_id, activity_id)
    ) STRICT, WITHOUT ROWID;

    -- Clans live in a Discord guild; the slug is unique inside that guild.
    CREATE TABLE clans (
        id                    INTEGER PRIMARY KEY,
        guild_id              TEXT    NOT NULL CHECK (length(guild_id) BETWEEN 1 AND 20 AND guild_id NOT GLOB '*[^0-9]*'),
        name                  TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
        slug                  TEXT    NOT NULL CHECK (length(slug) BETWEEN 1 AND 32 AND slug NOT GLOB '*[^a-z0-9-]*'),
        description           TEXT,
        timezone              TEXT    NOT NULL DEFAULT 'UTC' CHECK (length(timezone) > 0),
        default_snapshot_mode TEXT    NOT NULL DEFAULT 'auto' CHECK (default_snapshot_mode IN ('auto',
                                  'regular', 'ironman', 'hardcore', 'ultimate', 'deadman', 'seasonal', 'tournament', 'fresh_start')),
        created_by            TEXT,
        created_at            INTEGER NOT NULL,
        updated_at            INTEGER NOT NULL,
        UNIQUE (guild_id, slug)
    ) STRICT;

    CREATE TABLE clan_members (
        id         INTEGER PRIMARY KEY,
        clan_id    INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role       TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('leader', 'officer', 'member')),
        joined_at  INTEGER NOT NULL,
        left_at    INTEGER,
        is_active  INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
        UNIQUE (clan_id, account_id),
        CHECK (is_active = 1 OR left_at IS NOT NULL)
    ) STRICT;
    CREATE INDEX clan_members_active ON clan_members (clan_id, account_id) WHERE is_active = 1;
    CREATE INDEX clan_members_by_account ON clan_members (account_id);

    -- A Discord user's linked OSRS account, per guild: their clan role is that account's role.
    -- Anyone can claim any name, so only a verified link (confirmed by a leader/officer) grants more than 'member'.
    CREATE TABLE discord_links (
        guild_id        TEXT    NOT NULL CHECK (length(guild_id) BETWEEN 1 AND 20 AND guild_id NOT GLOB '*[^0-9]*'),
        discord_user_id TEXT    NOT NULL CHECK (length(discord_user_id) BETWEEN 1 AND 20 AND discord_user_id NOT GLOB '*[^0-9]*'),
        account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        linked_at       INTEGER NOT NULL,
        linked_by       TEXT,
        verified        INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
        verified_by     TEXT,
        verified_at     INTEGER,
        PRIMARY KEY (guild_id, discord_user_id),
        UNIQUE (guild_id, account_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX discord_links_by_account ON discord_links (account_id);

    -- Batch snapshot runs of a clan. scheduled_for makes a scheduled slot run exactly once,
    -- even when two processes share the database (the unique index refuses the second claim).
    CREATE TABLE clan_snapshots (
        id              INTEGER PRIMARY KEY,
        clan_id         INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        job_id          TEXT    NOT NULL UNIQUE CHECK (length(job_id) > 0),
        status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed')),
        mode            TEXT    NOT NULL CHECK (mode IN ('auto',
                            'regular', 'ironman', 'hardcore', 'ultimate', 'deadman', 'seasonal', 'tournament', 'fresh_start')),
        source          TEXT    NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'schedule')),
        scheduled_for   INTEGER,
        requested_by    TEXT,
        owner           TEXT,
        heartbeat_at    INTEGER,
        queued_at       INTEGER NOT NULL,
        started_at      INTEGER,
        finished_at     INTEGER,
        latency_ms      INTEGER CHECK (latency_ms IS NULL OR latency_ms >= 0),
        member_count    INTEGER NOT NULL DEFAULT 0 CHECK (member_count >= 0),
        succeeded_count INTEGER NOT NULL DEFAULT 0 CHECK (succeeded_count >= 0),
        failed_count    INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
        error           TEXT,
        CHECK (source = 'manual' OR scheduled_for IS NOT NULL)
    ) STRICT;
    CREATE INDEX clan_snapshots_by_clan_time ON clan_snapshots (clan_id, queued_at);
    CREATE UNIQUE INDEX clan_snapshots_one_per_slot ON clan_snapshots (clan_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
    CREATE INDEX clan_snapshots_unfinished ON clan_snapshots (status) WHERE status IN ('queued', 'running');

    CREATE TABLE clan_snapshot_members (
        id               INTEGER PRIMARY KEY,
        clan_snapshot_id INTEGER NOT NULL REFERENCES clan_snapshots(id) ON DELETE CASCADE,
        account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        snapshot_id      INTEGER REFERENCES snapshots(id) ON DELETE SET NULL,
        status           TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'skipped')),
        error_kind       TEXT,
        error            TEXT,
        latency_ms       INTEGER CHECK (latency_ms IS NULL OR latency_ms >= 0),
        finished_at      INTEGER,
        UNIQUE (clan_snapshot_id, account_id)
    ) STRICT;
    CREATE INDEX clan_snapshot_members_by_account ON clan_snapshot_members (account_id);
    CREATE INDEX clan_snapshot_members_by_snapshot ON clan_snapshot_members (snapshot_id) WHERE snapshot_id IS NOT NULL;

    -- One schedule per clan; the clan's timezone interprets the cron expression.
    -- A run is claimed by a compare-and-set on next_run_at (claimed_by/claimed_at say who won).
    CREATE TABLE clan_schedules (
        id                    INTEGER PRIMARY KEY,
        clan_id               INTEGER NOT NULL UNIQUE REFERENCES clans(id) ON DELETE CASCADE,
        cron                  TEXT    NOT NULL CHECK (length(trim(cron)) > 0),
        max_daily_runs        INTEGER NOT NULL DEFAULT 1 CHECK (max_daily_runs BETWEEN 1 AND 2),
        enabled               INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        next_run_at           INTEGER,
        last_run_at           INTEGER,
        last_run_status       TEXT    CHECK (last_run_status IN ('running', 'succeeded', 'partial', 'failed', 'skipped')),
        last_error            TEXT,
        last_clan_snapshot_id INTEGER REFERENCES clan_snapshots(id) ON DELETE SET NULL,
        claimed_by            TEXT,
        claimed_at            INTEGER,
        created_at            INTEGER NOT NULL,
        updated_at            INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX clan_schedules_due ON clan_schedules (next_run_at) WHERE enabled = 1;

    -- Cached aggregates; deleted for a clan when one of its batches finishes.
    CREATE TABLE clan_stats (
        id           INTEGER PRIMARY KEY,
        clan_id      INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        timeframe    TEXT    NOT NULL CHECK (timeframe IN ('7d', '30d', 'mtd', 'custom')),
        start_at     INTEGER NOT NULL,
        end_at       INTEGER NOT NULL,
        generated_at INTEGER NOT NULL,
        payload      TEXT    NOT NULL CHECK (json_valid(payload)),
        UNIQUE (clan_id, timeframe, start_at, end_at),
        CHECK (end_at >= start_at)
    ) STRICT;

    CREATE TABLE clan_leaderboards (
        id            INTEGER PRIMARY KEY,
        clan_id       INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        metric        TEXT    NOT NULL CHECK (metric IN ('xp_gained', 'levels_gained', 'skill_xp', 'boss_kc', 'clues')),
        metric_target TEXT    NOT NULL DEFAULT '',
        timeframe     TEXT    NOT NULL CHECK (timeframe IN ('7d', '30d', 'mtd', 'custom')),
        start_at      INTEGER NOT NULL,
        end_at        INTEGER NOT NULL,
        generated_at  INTEGER NOT NULL,
        payload       TEXT    NOT NULL CHECK (json_valid(payload)),
        UNIQUE (clan_id, metric, metric_target, timeframe, start_at, end_at),
        CHECK (end_at >= start_at)
    ) STRICT;

    -- Outgoing notifications. secret signs each delivery (HMAC-SHA256) for custom receivers.
    CREATE TABLE clan_webhooks (
        id               INTEGER PRIMARY KEY,
        clan_id          INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        url              TEXT    NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
        provider         TEXT    NOT NULL CHECK (provider IN ('discord', 'slack', 'custom')),
        events           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(events) AND json_type(events) = 'array'),
        secret           TEXT,
        enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        last_status_code INTEGER,
        last_error       TEXT,
        last_delivery_at INTEGER,
        created_at       INTEGER NOT NULL,
        UNIQUE (clan_id, url)
    ) STRICT;

    -- Contests: draft -> active -> ended -> drawn, or cancelled before the draw (reason kept).
    -- secret stays private until the draw; seed_commitment = SHA-256(secret) is published at activation.
    CREATE TABLE contests (
        id                INTEGER PRIMARY KEY,
        clan_id           INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        name              TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
        description       TEXT,
        prize             TEXT,
        status            TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'ended', 'drawn', 'cancelled')),
        start_at          INTEGER NOT NULL,
        end_at            INTEGER NOT NULL,
        winners_count     INTEGER NOT NULL DEFAULT 1 CHECK (winners_count >= 1),
        scheme            TEXT    NOT NULL DEFAULT 'clanbot-draw-v1',
        hash_fn           TEXT    NOT NULL DEFAULT 'sha256',
        randomness_mode   TEXT    NOT NULL DEFAULT 'drand' CHECK (randomness_mode IN ('drand', 'none')),
        secret            BLOB,
        seed_commitment   TEXT,
        seed_reveal       TEXT,
        nonce             TEXT,
        rules_digest      TEXT,
        beacon_chain      TEXT,
        beacon_round      INTEGER CHECK (beacon_round IS NULL OR beacon_round >= 1),
        entries_digest    TEXT,
        entry_count       INTEGER CHECK (entry_count IS NULL OR entry_count >= 0),
        cancel_reason     TEXT,
        activated_at      INTEGER,
        ended_at          INTEGER,
        drawn_at          INTEGER,
        cancelled_at      INTEGER,
        created_by        TEXT,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        CHECK (end_at > start_at),
        CHECK (status <> 'cancelled' OR (cancel_reason IS NOT NULL AND length(trim(cancel_reason)) > 0)),
        CHECK (status = 'draft' OR status = 'cancelled' OR seed_commitment IS NOT NULL),
        CHECK (status NOT IN ('ended', 'drawn') OR (entries_digest IS NOT NULL AND entry_count IS NOT NULL))
    ) STRICT;
    CREATE INDEX contests_by_clan_status ON contests (clan_id, status);

    CREATE TABLE contest_rules (
        id          INTEGER PRIMARY KEY,
        contest_id  INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL CHECK (position >= 1),
        type        TEXT    NOT NULL CHECK (type IN ('skill_xp', 'skill_levels', 'total_xp', 'boss_kc', 'clue_count')),
        targets     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(targets) AND json_type(targets) = 'array'),
        threshold   INTEGER NOT NULL CHECK (threshold >= 0),
        comparator  TEXT    NOT NULL DEFAULT '>=' CHECK (comparator IN ('>=')),
        timeframe   TEXT    NOT NULL DEFAULT 'during_contest' CHECK (timeframe IN ('during_contest')),
        weight      INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 1),
        title       TEXT    NOT NULL CHECK (length(trim(title)) > 0),
        created_at  INTEGER NOT NULL,
        UNIQUE (contest_id, position)
    ) STRICT;

    CREATE TABLE contest_entries (
        id          INTEGER PRIMARY KEY,
        contest_id  INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
        rule_id     INTEGER NOT NULL REFERENCES contest_rules(id) ON DELETE CASCADE,
        account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
        entry_count INTEGER NOT NULL DEFAULT 1 CHECK (entry_count >= 1),
        proof       TEXT    NOT NULL CHECK (json_valid(proof)),
        created_at  INTEGER NOT NULL,
        UNIQUE (contest_id, rule_id, account_id)
    ) STRICT;
    CREATE INDEX contest_entries_by_account ON contest_entries (account_id);
    CREATE INDEX contest_entries_by_rule ON contest_entries (rule_id);

    -- One row per winner (position 1, 2, ...): a second draw finds the stored rows instead of re-rolling.
    CREATE TABLE contest_draws (
        id                INTEGER PRIMARY KEY,
        contest_id        INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
        winner_position   INTEGER NOT NULL DEFAULT 1 CHECK (winner_position >= 1),
        drawn_at          INTEGER NOT NULL,
        winner_account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
        winner_entry_id   INTEGER REFERENCES contest_entries(id) ON DELETE RESTRICT,
        ticket_index      INTEGER NOT NULL CHECK (ticket_index >= 0),
        counter           INTEGER CHECK (counter IS NULL OR counter >= 0),
        seed_reveal       TEXT,
        nonce             TEXT,
        beacon_round      INTEGER,
        beacon_randomness TEXT,
        beacon_signature  TEXT,
        rng_proof         TEXT    NOT NULL CHECK (json_valid(rng_proof)),
        notes             TEXT,
        UNIQUE (contest_id, winner_position)
    ) STRICT;
    CREATE INDEX contest_draws_by_winner ON contest_draws (winner_account_id);
    CREATE INDEX contest_draws_by_entry ON contest_draws (winner_entry_id) WHERE winner_entry_id IS NOT NULL;
    """

    /// The same schema for PostgreSQL: BIGINT for every integer (times are epoch milliseconds), identity ids,
    /// BYTEA for BLOB, regular expressions for GLOB, a unique index on lower(name) for COLLATE NOCASE, and SQLite's
    /// json_valid/json_type as functions so the CHECKs read the same. SHIPPED with the SQLite text: never edit.
    static let postgresSQL = """
    -- SQLite's json_valid and json_type, which the CHECKs below (and later migrations) use.
    CREATE FUNCTION json_valid(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        PERFORM value::jsonb;
        RETURN true;
    EXCEPTION WHEN others THEN
        RETURN false;
    END
    $$;
    CREATE FUNCTION json_type(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_typeof(value::jsonb) $$;

    -- OSRS accounts. normalised_name is the lookup key (lower case, '_' and '-' as spaces, trimmed).
    CREATE TABLE accounts (
        id                BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        display_name      TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 12),
        normalised_name   TEXT    NOT NULL UNIQUE CHECK (length(normalised_name) BETWEEN 1 AND 12),
        resolved_mode     TEXT    CHECK (resolved_mode IN ('regular', 'ironman', 'hardcore', 'ultimate')),
        mode_checked_at   BIGINT,
        first_snapshot_at BIGINT,
        last_snapshot_at  BIGINT,
        created_at        BIGINT  NOT NULL,
        updated_at        BIGINT  NOT NULL
    );

    -- One hiscores fetch of one account. Totals are copied out of the Overall row for cheap sorting.
    CREATE TABLE snapshots (
        id             BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        account_id     BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        fetched_at     BIGINT  NOT NULL,
        requested_mode TEXT    NOT NULL CHECK (requested_mode IN
                           ('regular', 'ironman', 'hardcore', 'ultimate', 'deadman', 'seasonal', 'tournament', 'fresh_start')),
        resolved_mode  TEXT    CHECK (resolved_mode IN ('regular', 'ironman', 'hardcore', 'ultimate')),
        latency_ms     BIGINT  NOT NULL CHECK (latency_ms >= 0),
        total_xp       BIGINT  NOT NULL,
        total_level    BIGINT  NOT NULL
    );
    -- Latest snapshot of an account, last at or before a time, all inside a window.
    CREATE INDEX snapshots_by_account_time ON snapshots (account_id, fetched_at);

    -- Metric names are data: a new boss is a new row, not a release.
    CREATE TABLE skills (
        id            BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name          TEXT    NOT NULL CHECK (length(name) > 0),
        display_order BIGINT  NOT NULL
    );
    CREATE UNIQUE INDEX skills_name_nocase ON skills (lower(name));

    CREATE TABLE activities (
        id            BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name          TEXT    NOT NULL CHECK (length(name) > 0),
        category      TEXT    NOT NULL CHECK (category IN ('boss', 'clue', 'minigame', 'points', 'other')),
        display_order BIGINT  NOT NULL
    );
    CREATE UNIQUE INDEX activities_name_nocase ON activities (lower(name));

    -- Every skill and activity of a snapshot as served; -1 means unranked and is kept as such.
    CREATE TABLE snapshot_skills (
        snapshot_id BIGINT  NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        skill_id    BIGINT  NOT NULL REFERENCES skills(id) ON DELETE RESTRICT,
        rank        BIGINT  NOT NULL,
        level       BIGINT  NOT NULL,
        xp          BIGINT  NOT NULL,
        PRIMARY KEY (snapshot_id, skill_id)
    );

    CREATE TABLE snapshot_activities (
        snapshot_id BIGINT  NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        activity_id BIGINT  NOT NULL REFERENCES activities(id) ON DELETE RESTRICT,
        rank        BIGINT  NOT NULL,
        score       BIGINT  NOT NULL,
        PRIMARY KEY (snapshot_id, activity_id)
    );

    -- Clans live in a Discord guild; the slug is unique inside that guild.
    CREATE TABLE clans (
        id                    BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        guild_id              TEXT    NOT NULL CHECK (length(guild_id) BETWEEN 1 AND 20 AND guild_id !~ '[^0-9]'),
        name                  TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
        slug                  TEXT    NOT NULL CHECK (length(slug) BETWEEN 1 AND 32 AND slug !~ '[^a-z0-9-]'),
        description           TEXT,
        timezone              TEXT    NOT NULL DEFAULT 'UTC' CHECK (length(timezone) > 0),
        default_snapshot_mode TEXT    NOT NULL DEFAULT 'auto' CHECK (default_snapshot_mode IN ('auto',
                                  'regular', 'ironman', 'hardcore', 'ultimate', 'deadman', 'seasonal', 'tournament', 'fresh_start')),
        created_by            TEXT,
        created_at            BIGINT  NOT NULL,
        updated_at            BIGINT  NOT NULL,
        UNIQUE (guild_id, slug)
    );

    CREATE TABLE clan_members (
        id         BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id    BIGINT  NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        account_id BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role       TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('leader', 'officer', 'member')),
        joined_at  BIGINT  NOT NULL,
        left_at    BIGINT,
        is_active  BIGINT  NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
        UNIQUE (clan_id, account_id),
        CHECK (is_active = 1 OR left_at IS NOT NULL)
    );
    CREATE INDEX clan_members_active ON clan_members (clan_id, account_id) WHERE is_active = 1;
    CREATE INDEX clan_members_by_account ON clan_members (account_id);

    -- A Discord user's linked OSRS account, per guild: their clan role is that account's role.
    -- Anyone can claim any name, so only a verified link (confirmed by a leader/officer) grants more than 'member'.
    CREATE TABLE discord_links (
        guild_id        TEXT    NOT NULL CHECK (length(guild_id) BETWEEN 1 AND 20 AND guild_id !~ '[^0-9]'),
        discord_user_id TEXT    NOT NULL CHECK (length(discord_user_id) BETWEEN 1 AND 20 AND discord_user_id !~ '[^0-9]'),
        account_id      BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        linked_at       BIGINT  NOT NULL,
        linked_by       TEXT,
        verified        BIGINT  NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
        verified_by     TEXT,
        verified_at     BIGINT,
        PRIMARY KEY (guild_id, discord_user_id),
        UNIQUE (guild_id, account_id)
    );
    CREATE INDEX discord_links_by_account ON discord_links (account_id);

    -- Batch snapshot runs of a clan. scheduled_for makes a scheduled slot run exactly once,
    -- even when two processes share the database (the unique index refuses the second claim).
    CREATE TABLE clan_snapshots (
        id              BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id         BIGINT  NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        job_id          TEXT    NOT NULL UNIQUE CHECK (length(job_id) > 0),
        status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed')),
        mode            TEXT    NOT NULL CHECK (mode IN ('auto',
                            'regular', 'ironman', 'hardcore', 'ultimate', 'deadman', 'seasonal', 'tournament', 'fresh_start')),
        source          TEXT    NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'schedule')),
        scheduled_for   BIGINT,
        requested_by    TEXT,
        owner           TEXT,
        heartbeat_at    BIGINT,
        queued_at       BIGINT  NOT NULL,
        started_at      BIGINT,
        finished_at     BIGINT,
        latency_ms      BIGINT  CHECK (latency_ms IS NULL OR latency_ms >= 0),
        member_count    BIGINT  NOT NULL DEFAULT 0 CHECK (member_count >= 0),
        succeeded_count BIGINT  NOT NULL DEFAULT 0 CHECK (succeeded_count >= 0),
        failed_count    BIGINT  NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
        error           TEXT,
        CHECK (source = 'manual' OR scheduled_for IS NOT NULL)
    );
    CREATE INDEX clan_snapshots_by_clan_time ON clan_snapshots (clan_id, queued_at);
    CREATE UNIQUE INDEX clan_snapshots_one_per_slot ON clan_snapshots (clan_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
    CREATE INDEX clan_snapshots_unfinished ON clan_snapshots (status) WHERE status IN ('queued', 'running');

    CREATE TABLE clan_snapshot_members (
        id               BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_snapshot_id BIGINT  NOT NULL REFERENCES clan_snapshots(id) ON DELETE CASCADE,
        account_id       BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        snapshot_id      BIGINT  REFERENCES snapshots(id) ON DELETE SET NULL,
        status           TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'skipped')),
        error_kind       TEXT,
        error            TEXT,
        latency_ms       BIGINT  CHECK (latency_ms IS NULL OR latency_ms >= 0),
        finished_at      BIGINT,
        UNIQUE (clan_snapshot_id, account_id)
    );
    CREATE INDEX clan_snapshot_members_by_account ON clan_snapshot_members (account_id);
    CREATE INDEX clan_snapshot_members_by_snapshot ON clan_snapshot_members (snapshot_id) WHERE snapshot_id IS NOT NULL;

    -- One schedule per clan; the clan's timezone interprets the cron expression.
    -- A run is claimed by a compare-and-set on next_run_at (claimed_by/claimed_at say who won).
    CREATE TABLE clan_schedules (
        id                    BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id               BIGINT  NOT NULL UNIQUE REFERENCES clans(id) ON DELETE CASCADE,
        cron                  TEXT    NOT NULL CHECK (length(trim(cron)) > 0),
        max_daily_runs        BIGINT  NOT NULL DEFAULT 1 CHECK (max_daily_runs BETWEEN 1 AND 2),
        enabled               BIGINT  NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        next_run_at           BIGINT,
        last_run_at           BIGINT,
        last_run_status       TEXT    CHECK (last_run_status IN ('running', 'succeeded', 'partial', 'failed', 'skipped')),
        last_error            TEXT,
        last_clan_snapshot_id BIGINT  REFERENCES clan_snapshots(id) ON DELETE SET NULL,
        claimed_by            TEXT,
        claimed_at            BIGINT,
        created_at            BIGINT  NOT NULL,
        updated_at            BIGINT  NOT NULL
    );
    CREATE INDEX clan_schedules_due ON clan_schedules (next_run_at) WHERE enabled = 1;

    -- Cached aggregates; deleted for a clan when one of its batches finishes.
    CREATE TABLE clan_stats (
        id           BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id      BIGINT  NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        timeframe    TEXT    NOT NULL CHECK (timeframe IN ('7d', '30d', 'mtd', 'custom')),
        start_at     BIGINT  NOT NULL,
        end_at       BIGINT  NOT NULL,
        generated_at BIGINT  NOT NULL,
        payload      TEXT    NOT NULL CHECK (json_valid(payload)),
        UNIQUE (clan_id, timeframe, start_at, end_at),
        CHECK (end_at >= start_at)
    );

    CREATE TABLE clan_leaderboards (
        id            BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id       BIGINT  NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        metric        TEXT    NOT NULL CHECK (metric IN ('xp_gained', 'levels_gained', 'skill_xp', 'boss_kc', 'clues')),
        metric_target TEXT    NOT NULL DEFAULT '',
        timeframe     TEXT    NOT NULL CHECK (timeframe IN ('7d', '30d', 'mtd', 'custom')),
        start_at      BIGINT  NOT NULL,
        end_at        BIGINT  NOT NULL,
        generated_at  BIGINT  NOT NULL,
        payload       TEXT    NOT NULL CHECK (json_valid(payload)),
        UNIQUE (clan_id, metric, metric_target, timeframe, start_at, end_at),
        CHECK (end_at >= start_at)
    );

    -- Outgoing notifications. secret signs each delivery (HMAC-SHA256) for custom receivers.
    CREATE TABLE clan_webhooks (
        id               BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id          BIGINT  NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        url              TEXT    NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
        provider         TEXT    NOT NULL CHECK (provider IN ('discord', 'slack', 'custom')),
        events           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(events) AND json_type(events) = 'array'),
        secret           TEXT,
        enabled          BIGINT  NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        last_status_code BIGINT,
        last_error       TEXT,
        last_delivery_at BIGINT,
        created_at       BIGINT  NOT NULL,
        UNIQUE (clan_id, url)
    );

    -- Contests: draft -> active -> ended -> drawn, or cancelled before the draw (reason kept).
    -- secret stays private until the draw; seed_commitment = SHA-256(secret) is published at activation.
    CREATE TABLE contests (
        id                BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        clan_id           BIGINT  NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        name              TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
        description       TEXT,
        prize             TEXT,
        status            TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'ended', 'drawn', 'cancelled')),
        start_at          BIGINT  NOT NULL,
        end_at            BIGINT  NOT NULL,
        winners_count     BIGINT  NOT NULL DEFAULT 1 CHECK (winners_count >= 1),
        scheme            TEXT    NOT NULL DEFAULT 'clanbot-draw-v1',
        hash_fn           TEXT    NOT NULL DEFAULT 'sha256',
        randomness_mode   TEXT    NOT NULL DEFAULT 'drand' CHECK (randomness_mode IN ('drand', 'none')),
        secret            BYTEA,
        seed_commitment   TEXT,
        seed_reveal       TEXT,
        nonce             TEXT,
        rules_digest      TEXT,
        beacon_chain      TEXT,
        beacon_round      BIGINT  CHECK (beacon_round IS NULL OR beacon_round >= 1),
        entries_digest    TEXT,
        entry_count       BIGINT  CHECK (entry_count IS NULL OR entry_count >= 0),
        cancel_reason     TEXT,
        activated_at      BIGINT,
        ended_at          BIGINT,
        drawn_at          BIGINT,
        cancelled_at      BIGINT,
        created_by        TEXT,
        created_at        BIGINT  NOT NULL,
        updated_at        BIGINT  NOT NULL,
        CHECK (end_at > start_at),
        CHECK (status <> 'cancelled' OR (cancel_reason IS NOT NULL AND length(trim(cancel_reason)) > 0)),
        CHECK (status = 'draft' OR status = 'cancelled' OR seed_commitment IS NOT NULL),
        CHECK (status NOT IN ('ended', 'drawn') OR (entries_digest IS NOT NULL AND entry_count IS NOT NULL))
    );
    CREATE INDEX contests_by_clan_status ON contests (clan_id, status);

    CREATE TABLE contest_rules (
        id          BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        contest_id  BIGINT  NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
        position    BIGINT  NOT NULL CHECK (position >= 1),
        type        TEXT    NOT NULL CHECK (type IN ('skill_xp', 'skill_levels', 'total_xp', 'boss_kc', 'clue_count')),
        targets     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(targets) AND json_type(targets) = 'array'),
        threshold   BIGINT  NOT NULL CHECK (threshold >= 0),
        comparator  TEXT    NOT NULL DEFAULT '>=' CHECK (comparator IN ('>=')),
        timeframe   TEXT    NOT NULL DEFAULT 'during_contest' CHECK (timeframe IN ('during_contest')),
        weight      BIGINT  NOT NULL DEFAULT 1 CHECK (weight >= 1),
        title       TEXT    NOT NULL CHECK (length(trim(title)) > 0),
        created_at  BIGINT  NOT NULL,
        UNIQUE (contest_id, position)
    );

    CREATE TABLE contest_entries (
        id          BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        contest_id  BIGINT  NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
        rule_id     BIGINT  NOT NULL REFERENCES contest_rules(id) ON DELETE CASCADE,
        account_id  BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
        entry_count BIGINT  NOT NULL DEFAULT 1 CHECK (entry_count >= 1),
        proof       TEXT    NOT NULL CHECK (json_valid(proof)),
        created_at  BIGINT  NOT NULL,
        UNIQUE (contest_id, rule_id, account_id)
    );
    CREATE INDEX contest_entries_by_account ON contest_entries (account_id);
    CREATE INDEX contest_entries_by_rule ON contest_entries (rule_id);

    -- One row per winner (position 1, 2, ...): a second draw finds the stored rows instead of re-rolling.
    CREATE TABLE contest_draws (
        id                BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        contest_id        BIGINT  NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
        winner_position   BIGINT  NOT NULL DEFAULT 1 CHECK (winner_position >= 1),
        drawn_at          BIGINT  NOT NULL,
        winner_account_id BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
        winner_entry_id   BIGINT  REFERENCES contest_entries(id) ON DELETE RESTRICT,
        ticket_index      BIGINT  NOT NULL CHECK (ticket_index >= 0),
        counter           BIGINT  CHECK (counter IS NULL OR counter >= 0),
        seed_reveal       TEXT,
        nonce             TEXT,
        beacon_round      BIGINT,
        beacon_randomness TEXT,
        beacon_signature  TEXT,
        rng_proof         TEXT    NOT NULL CHECK (json_valid(rng_proof)),
        notes             TEXT,
        UNIQUE (contest_id, winner_position)
    );
    CREATE INDEX contest_draws_by_winner ON contest_draws (winner_account_id);
    CREATE INDEX contest_draws_by_entry ON contest_draws (winner_entry_id) WHERE winner_entry_id IS NOT NULL;
    """
}
