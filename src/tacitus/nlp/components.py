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
from tacitus.resolve.actors import resolve_mentions
from tacitus.resolve.kb import KnowledgeBase

EXTENSIONS = ("tacitus_mentions", "tacitus_actors", "tacitus_places", "tacitus_quotes", "tacitus_counts")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


class ActorMentions:
    def __init__(self, kb: KnowledgeBase):
        self.capitals = sorted(kb.capitals)
        self.states = sorted(kb.state_names())

    def __call__(self, doc: Doc) -> Doc:
        doc._.tacitus_mentions = list(extract_mentions(doc, self.capitals, self.states))
        return doc


class ActorResolver:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        doc._.tacitus_actors = resolve_mentions(doc._.tacitus_mentions or [], self.kb)
        return doc


@Language.factory("tacitus_actors", requires=["doc.ents"], assigns=["doc._.tacitus_mentions"])
def make_actor_mentions(nlp: Language, name: str) -> ActorMentions:
    return ActorMentions(KnowledgeBase.load())


@Language.factory(
    "tacitus_resolve", requires=["doc._.tacitus_mentions"], assigns=["doc._.tacitus_actors"]
)
def make_actor_resolver(nlp: Language, name: str) -> ActorResolver:
    return ActorResolver(KnowledgeBase.load())


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
