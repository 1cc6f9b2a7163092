"""All Tacitus spaCy components, registered in one place.

Each component calls a pure extractor from :mod:`tacitus.extract` (or a resolver) and stores the
records it yields on ``Doc._``; none holds module-level state.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from tacitus.extract.actors import extract_mentions
from tacitus.extract.counts import extract_counts
from tacitus.extract.places import extract_places
from tacitus.extract.quotes import extract_quotes
from tacitus.extract.roles import extract_roles
from tacitus.resolve.actors import resolve_mentions
from tacitus.resolve.coref import coreferent_mentions
from tacitus.resolve.kb import KnowledgeBase

EXTENSIONS = ("tacitus_mentions", "tacitus_role_mentions", "tacitus_actors", "tacitus_roles", "tacitus_places",
              "tacitus_quotes", "tacitus_counts")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


class ActorMentions:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.capitals = sorted(kb.capitals)
        self.states = sorted(kb.state_names())

    def is_role_word(self, word: str) -> bool:
        return word.casefold() in self.kb.role_words

    def __call__(self, doc: Doc) -> Doc:
        doc._.tacitus_mentions = list(
            extract_mentions(doc, self.capitals, self.states, self.kb.sector_of, self.is_role_word)
        )
        return doc


class RoleMentions(ActorMentions):
    def __call__(self, doc: Doc) -> Doc:
        persons = []
        for m in doc._.tacitus_mentions or []:
            if m.kind == "person" and m.role == "actor":
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    persons.append(span)
        doc._.tacitus_role_mentions = list(extract_roles(doc, persons, self.is_role_word))
        return doc


class ActorResolver:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc._.tacitus_mentions or [])
        roles = doc._.tacitus_role_mentions or []
        mentions += list(coreferent_mentions(doc, mentions, roles))
        doc._.tacitus_actors, doc._.tacitus_roles = resolve_mentions(mentions, self.kb, doc.text, roles)
        return doc


@Language.factory("tacitus_actors", requires=["doc.ents"], assigns=["doc._.tacitus_mentions"],
                  default_config={"kb_files": []})
def make_actor_mentions(nlp: Language, name: str, kb_files: list[str]) -> ActorMentions:
    return ActorMentions(KnowledgeBase.load(kb_files))


@Language.factory("tacitus_roles", requires=["doc._.tacitus_mentions", "token.dep"],
                  assigns=["doc._.tacitus_role_mentions"], default_config={"kb_files": []})
def make_role_mentions(nlp: Language, name: str, kb_files: list[str]) -> RoleMentions:
    return RoleMentions(KnowledgeBase.load(kb_files))


@Language.factory(
    "tacitus_resolve", requires=["doc._.tacitus_mentions", "doc._.tacitus_role_mentions"],
    assigns=["doc._.tacitus_actors", "doc._.tacitus_roles"], default_config={"kb_files": []},
)
def make_actor_resolver(nlp: Language, name: str, kb_files: list[str]) -> ActorResolver:
    return ActorResolver(KnowledgeBase.load(kb_files))


@Language.component("tacitus_places", requires=["doc.ents"], assigns=["doc._.tacitus_places"])
def places_component(doc: Doc) -> Doc:
    doc._.tacitus_places = list(extract_places(doc))
    return doc


@Language.component(
    "tacitus_quotes", requires=["doc.ents", "token.dep"], assigns=["doc._.tacitus_quotes"]
)
def quotes_component(doc: Doc) -> Doc:
    doc._.tacitus_quotes = list(extract_quotes(doc))
    return doc


@Language.component("tacitus_counts", assigns=["doc._.tacitus_counts"])
def counts_component(doc: Doc) -> Doc:
    doc._.tacitus_counts = list(extract_counts(doc))
    return doc
