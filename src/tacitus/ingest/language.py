"""Language identification with lingua, built for a short list of candidate languages."""

from __future__ import annotations

UNDETERMINED = "und"


class LanguageIdentifier:
    """Lazy lingua detector for ``codes`` (ISO 639-1); one per run, not a module global."""

    def __init__(self, codes: list[str], min_confidence: float = 0.5):
        self.codes = [c.lower() for c in codes]
        self.min_confidence = min_confidence
        self._detector = None

    def _build(self):
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        langs = []
        for code in self.codes:
            try:
                langs.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except AttributeError:
                continue
        if len(langs) < 2:
            langs = [Language.ENGLISH, Language.RUSSIAN]
        return LanguageDetectorBuilder.from_languages(*langs).build()

    def identify(self, text: str) -> str:
        sample = text[:3000].strip()
        if len(sample) < 20:
            return UNDETERMINED
        if self._detector is None:
            self._detector = self._build()
        values = self._detector.compute_language_confidence_values(sample)
        if not values or values[0].value < self.min_confidence:
            return UNDETERMINED
        return values[0].language.iso_code_639_1.name.lower()
