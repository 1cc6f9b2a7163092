"""Versioned schema. Each migration is a list of statements; ``Store`` applies pending ones on open.

Never edit a released migration: add a new one. The export contract (field names other tools rely
on) is :data:`CONTRACT`; tests check every table against it.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "initial schema",
        [
            """CREATE TABLE runs (
                id INTEGER PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, status VARCHAR,
                tacitus_version VARCHAR, model VARCHAR, settings JSON, inputs VARCHAR[],
                units_seen INTEGER, articles_added INTEGER, duplicates INTEGER, failures INTEGER, skipped INTEGER)""",
            """CREATE TABLE inputs (
                key VARCHAR PRIMARY KEY, source_path VARCHAR, record VARCHAR, fingerprint VARCHAR,
                article_id VARCHAR, status VARCHAR, reason VARCHAR, run_id INTEGER)""",
            """CREATE TABLE articles (
                id VARCHAR PRIMARY KEY, source_path VARCHAR, url VARCHAR, title VARCHAR, published VARCHAR,
                published_precision VARCHAR, published_source VARCHAR, date_ambiguous BOOLEAN,
                outlet VARCHAR, author VARCHAR, dateline VARCHAR, language VARCHAR, text VARCHAR,
                status VARCHAR, error VARCHAR, format VARCHAR, word_count INTEGER, run_id INTEGER)""",
            """CREATE TABLE sentences (
                article_id VARCHAR, sentence INTEGER, start INTEGER, "end" INTEGER,
                PRIMARY KEY (article_id, sentence))""",
            """CREATE TABLE actors (
                id VARCHAR PRIMARY KEY, name VARCHAR, code VARCHAR, kind VARCHAR, country VARCHAR,
                sector VARCHAR, aliases VARCHAR[], roles JSON, mention_count INTEGER)""",
            """CREATE TABLE mentions (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, actor_id VARCHAR, text VARCHAR, label VARCHAR,
                start INTEGER, "end" INTEGER, sentence INTEGER)""",
            """CREATE TABLE events (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, source_path VARCHAR, type VARCHAR, mode VARCHAR,
                source STRUCT(code VARCHAR, name VARCHAR), target STRUCT(code VARCHAR, name VARCHAR),
                date VARCHAR, date_precision VARCHAR, negated BOOLEAN, hedged BOOLEAN, place VARCHAR,
                sentence INTEGER, start INTEGER, "end" INTEGER, trigger VARCHAR, confidence DOUBLE)""",
            """CREATE TABLE quotes (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, source_path VARCHAR, text VARCHAR, speaker VARCHAR,
                speaker_actor_id VARCHAR, speaker_role VARCHAR, kind VARCHAR, cue VARCHAR,
                start INTEGER, "end" INTEGER, sentence INTEGER)""",
            """CREATE TABLE places (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, text VARCHAR, name VARCHAR, label VARCHAR,
                country VARCHAR, latitude DOUBLE, longitude DOUBLE, feature_class VARCHAR, resolved BOOLEAN,
                start INTEGER, "end" INTEGER, sentence INTEGER)""",
            """CREATE TABLE counts (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, number DOUBLE, category VARCHAR, object VARCHAR,
                approximate BOOLEAN, text VARCHAR, place VARCHAR, start INTEGER, "end" INTEGER, sentence INTEGER)""",
            """CREATE TABLE failures (
                id VARCHAR PRIMARY KEY, input_key VARCHAR, path VARCHAR, record VARCHAR, stage VARCHAR, error VARCHAR,
                time TIMESTAMP, run_id INTEGER)""",
        ],
    ),
    (
        2,
        "ingest: copies point to their original, cleaner's dropped lines, MinHash signatures",
        [
            "ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR",
            "ALTER TABLE articles ADD COLUMN similarity DOUBLE",
            "ALTER TABLE articles ADD COLUMN removed VARCHAR[]",
            "CREATE TABLE signatures (article_id VARCHAR PRIMARY KEY, minhash UINTEGER[])",
            # Version 1 recorded a copy only in ``inputs``; now a copy has its own article row. Forget
            # those inputs so the next run reads them again and stores them as copies.
            "DELETE FROM inputs WHERE status = 'duplicate'",
        ],
    ),
    (
        3,
        "actors: dated role records; knowledge-base actors added by the user",
        [
            """CREATE TABLE roles (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, actor_id VARCHAR, text VARCHAR, title VARCHAR,
                organisation VARCHAR, organisation_id VARCHAR, code VARCHAR, country VARCHAR, sector VARCHAR,
                date VARCHAR, start INTEGER, "end" INTEGER, sentence INTEGER)""",
            """CREATE TABLE kb_actors (
                id VARCHAR PRIMARY KEY, name VARCHAR, code VARCHAR, kind VARCHAR, country VARCHAR, sector VARCHAR,
                aliases VARCHAR[], capital VARCHAR, demonyms VARCHAR[], continuity VARCHAR, roles VARCHAR,
                wikidata VARCHAR, note VARCHAR, source VARCHAR, added TIMESTAMP)""",
        ],
    ),
    (
        4,
        "events: actors' ids and words, future and historical flags, date source, intensity, quad class, reporter",
        [
            "ALTER TABLE events ADD COLUMN source_actor_id VARCHAR",
            "ALTER TABLE events ADD COLUMN target_actor_id VARCHAR",
            "ALTER TABLE events ADD COLUMN source_text VARCHAR",
            "ALTER TABLE events ADD COLUMN target_text VARCHAR",
            "ALTER TABLE events ADD COLUMN future BOOLEAN",
            "ALTER TABLE events ADD COLUMN historical BOOLEAN",
            "ALTER TABLE events ADD COLUMN date_source VARCHAR",
            "ALTER TABLE events ADD COLUMN intensity DOUBLE",
            "ALTER TABLE events ADD COLUMN quad VARCHAR",
            "ALTER TABLE events ADD COLUMN reported_by STRUCT(code VARCHAR, name VARCHAR)",
            "ALTER TABLE events ADD COLUMN claim VARCHAR",
            """CREATE TABLE timexes (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, text VARCHAR, value VARCHAR, precision VARCHAR,
                type VARCHAR, anchored BOOLEAN, vague BOOLEAN, start INTEGER, "end" INTEGER, sentence INTEGER)""",
        ],
    ),
    (
        5,
        "tone per article and per sentence; places resolved against the gazetteer",
        [
            "ALTER TABLE articles ADD COLUMN tone DOUBLE",
            "ALTER TABLE articles ADD COLUMN tone_positive DOUBLE",
            "ALTER TABLE articles ADD COLUMN tone_negative DOUBLE",
            "ALTER TABLE sentences ADD COLUMN tone DOUBLE",
            "ALTER TABLE places ADD COLUMN geonameid BIGINT",
            "ALTER TABLE places ADD COLUMN admin1 VARCHAR",
            "ALTER TABLE places ADD COLUMN is_actor BOOLEAN",
        ],
    ),
    (
        6,
        "quotes: how the speaker was found, speaker code and offsets, partial quotes; claims and disputes",
        [
            "ALTER TABLE quotes ADD COLUMN speaker_kind VARCHAR",
            "ALTER TABLE quotes ADD COLUMN speaker_text VARCHAR",
            "ALTER TABLE quotes ADD COLUMN speaker_code VARCHAR",
            "ALTER TABLE quotes ADD COLUMN speaker_start INTEGER",
            "ALTER TABLE quotes ADD COLUMN speaker_end INTEGER",
            "ALTER TABLE quotes ADD COLUMN partial BOOLEAN",
            """CREATE TABLE claims (
                id VARCHAR PRIMARY KEY, article_id VARCHAR, source_path VARCHAR, quote_id VARCHAR, stance VARCHAR,
                claimant VARCHAR, claimant_actor_id VARCHAR, claimant_code VARCHAR,
                subject VARCHAR, subject_actor_id VARCHAR, subject_code VARCHAR, relation VARCHAR,
                object VARCHAR, object_actor_id VARCHAR, object_code VARCHAR, proposition VARCHAR,
                text VARCHAR, cue VARCHAR, date VARCHAR, sentence INTEGER, start INTEGER, "end" INTEGER)""",
            """CREATE TABLE disputes (
                id VARCHAR PRIMARY KEY, proposition VARCHAR, relation VARCHAR, subject VARCHAR, subject_code VARCHAR,
                object VARCHAR, object_code VARCHAR, alleged_by VARCHAR[], denied_by VARCHAR[], confirmed_by VARCHAR[],
                since VARCHAR, first_date VARCHAR, last_date VARCHAR, claims INTEGER, articles INTEGER, outlets INTEGER,
                claim_ids VARCHAR[])""",
        ],
    ),
    (
        7,
        "corpus view: events and quotes merged across articles (clusters), cluster ids on their mentions",
        [
            """CREATE TABLE event_clusters (
                id VARCHAR PRIMARY KEY, type VARCHAR, mode VARCHAR, quad VARCHAR,
                source STRUCT(code VARCHAR, name VARCHAR), target STRUCT(code VARCHAR, name VARCHAR),
                source_actor_id VARCHAR, target_actor_id VARCHAR, date VARCHAR, date_precision VARCHAR,
                date_start DATE, date_end DATE, negated BOOLEAN, hedged BOOLEAN, future BOOLEAN, historical BOOLEAN,
                intensity DOUBLE, place VARCHAR, mentions INTEGER, articles INTEGER, outlets INTEGER, copies INTEGER,
                outlet_names VARCHAR[], article_ids VARCHAR[], event_ids VARCHAR[], first_reported VARCHAR,
                last_reported VARCHAR, tone DOUBLE, lead BOOLEAN, url VARCHAR, added TIMESTAMP)""",
            """CREATE TABLE quote_clusters (
                id VARCHAR PRIMARY KEY, text VARCHAR, speaker VARCHAR, speaker_actor_id VARCHAR, speaker_code VARCHAR,
                kind VARCHAR, mentions INTEGER, articles INTEGER, outlets INTEGER, copies INTEGER,
                outlet_names VARCHAR[], article_ids VARCHAR[], quote_ids VARCHAR[], first_reported VARCHAR,
                last_reported VARCHAR)""",
            "ALTER TABLE events ADD COLUMN cluster_id VARCHAR",
            "ALTER TABLE quotes ADD COLUMN cluster_id VARCHAR",
        ],
    ),
    (
        8,
        "ingest warnings per article (a page kept whole instead of emptied, upper case restored, text detokenised)",
        [
            "ALTER TABLE articles ADD COLUMN warnings VARCHAR[]",
        ],
    ),
    (
        9,
        "runs: the process (pid, host) that writes a run, so that a run left 'running' by a killed process is "
        "marked 'interrupted' at the next open, with the reason in runs.error",
        [
            "ALTER TABLE runs ADD COLUMN pid INTEGER",
            "ALTER TABLE runs ADD COLUMN host VARCHAR",
            "ALTER TABLE runs ADD COLUMN error VARCHAR",
        ],
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]

#: Tables that hold one article's extractions (deleted and rewritten together).
ARTICLE_TABLES = ("sentences", "mentions", "events", "quotes", "places", "counts", "signatures", "roles", "timexes",
                  "claims")

#: The export contract: these fields exist, with these names, in every store.
CONTRACT: dict[str, tuple[str, ...]] = {
    "articles": ("id", "source_path", "url", "title", "published", "outlet", "language", "text", "status", "error",
                 "duplicate_of"),
    "actors": ("id", "name", "code", "kind", "country", "sector", "aliases", "roles", "mention_count"),
    "mentions": ("id", "article_id", "actor_id", "text", "start", "end", "sentence"),
    "events": ("id", "article_id", "source_path", "type", "mode", "source", "target", "date", "date_precision",
               "negated", "hedged", "future", "historical", "intensity", "quad", "place", "sentence", "start", "end",
               "trigger", "confidence"),
    "timexes": ("id", "article_id", "text", "value", "precision", "type", "start", "end", "sentence"),
    "quotes": ("id", "article_id", "source_path", "text", "speaker", "speaker_actor_id", "speaker_role", "kind",
               "cue", "start", "end"),
    "places": ("id", "article_id", "text", "name", "country", "latitude", "longitude", "start", "end", "sentence"),
    "counts": ("id", "article_id", "number", "category", "object", "text", "start", "end", "sentence"),
    "claims": ("id", "article_id", "quote_id", "stance", "claimant", "claimant_code", "subject", "subject_code",
               "relation", "object", "object_code", "proposition", "text", "date", "sentence", "start", "end"),
    "disputes": ("id", "proposition", "relation", "subject_code", "object_code", "alleged_by", "denied_by", "since",
                 "first_date", "last_date", "claims", "articles", "outlets"),
    "event_clusters": ("id", "type", "mode", "quad", "source", "target", "date", "date_precision", "historical",
                       "intensity", "mentions", "articles", "outlets", "article_ids", "event_ids"),
    "quote_clusters": ("id", "text", "speaker", "speaker_actor_id", "mentions", "articles", "outlets", "quote_ids"),
    "failures": ("path", "stage", "error", "time"),
    "roles": ("id", "article_id", "actor_id", "text", "title", "organisation", "code", "country", "sector", "date",
              "start", "end", "sentence"),
}

#: Every table a user can export.
EXPORT_TABLES = ("articles", "actors", "roles", "mentions", "events", "timexes", "quotes", "claims", "disputes", "places",
                 "counts", "sentences", "failures", "inputs", "runs", "kb_actors", "event_clusters", "quote_clusters")
