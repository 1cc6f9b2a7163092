"""Russian temporal expressions: the same :class:`~tacitus.extract.timex.Timex` records as the English
finder, :func:`tacitus.extract.timex.find_timexes`, from Russian text.

Values, precisions, types and the ``anchored``/``vague``/``tml`` flags follow the English module: ISO 8601
as precise as the text ("9 ноября 2018 года" -> ``2018-11-09``, "в ноябре 2018 г." -> ``2018-11``,
"в 1990-х годах" -> ``199``, "в XIX веке" -> ``18``), DURATION values ``P3Y``, ``PT2H`` (``X`` where the
amount is not given: "несколько лет" -> ``PXY``), vague references ``PRESENT_REF``/``PAST_REF``/
``FUTURE_REF`` in ``tml``. Relative expressions (вчера, в пятницу, в прошлом году, три года назад) are
resolved against ``pub_date``; a day and month without a year take ``context_year``, else the year nearest
the publication date (:func:`tacitus.extract.timex._year_for`).

Extents leave out the governing preposition ("в 1989 году" -> "1989 году", "в течение трёх лет" -> "трёх
лет") and keep year words, modifiers and determiners ("конце 2005 года", "прошлом году", "10 лет назад").
A range or list ("с 13 по 29 января", "3-4 июня 2010 г.") gives one expression per date; the bare first
member takes the month and year of the last. Numbers are years only with a year word, a month, or a
temporal preposition and nothing counted after them ("2000 человек" is not a date). Clock times, ages,
adjectives ("воскресное", "22-летний") and frequencies are not expressions (see
``tacitus/data/gold/README-ru-timex.md`` for the guidelines the rules follow).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

from tacitus.extract.timex import Timex, _iso, _State, _year_for, in_text_order

__all__ = ["find_timexes_ru", "Timex"]

# --- vocabulary -------------------------------------------------------------------------------------------

#: Month stems (lower case) and their numbers; every case form is stem + ending.
_MONTH_STEMS = [("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6), ("июл", 7),
                ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12)]
_MONTH_FORMS = (r"[Яя]нвар(?:ь|я|е|ю|ём|ем)|[Фф]еврал(?:ь|я|е|ю|ём|ем)|[Мм]арт(?:а|е|у|ом)?|[Аа]прел(?:ь|я|е|ю|ем)"
                r"|[Мм]а(?:й|я|е|ю|ем)|[Ии]юн(?:ь|я|е|ю|ем)|[Ии]юл(?:ь|я|е|ю|ем)|[Аа]вгуст(?:а|е|у|ом)?"
                r"|[Сс]ентябр(?:ь|я|е|ю|ём|ем)|[Оо]ктябр(?:ь|я|е|ю|ём|ем)|[Нн]оябр(?:ь|я|е|ю|ём|ем)|[Дд]екабр(?:ь|я|е|ю|ём|ем)")
_MONTH_ABBR = r"(?:янв|февр?|апр|авг|сент?|окт|нояб?|дек)\."
_MON = r"(?P<mon>(?:" + _MONTH_FORMS + r")(?![а-яё])|" + _MONTH_ABBR + ")"
_MON_LC = r"(?P<mon>(?:" + _MONTH_FORMS.replace("[Яя]", "я").replace("[Фф]", "ф").replace("[Мм]", "м").replace(
    "[Аа]", "а").replace("[Ии]", "и").replace("[Сс]", "с").replace("[Оо]", "о").replace("[Нн]", "н").replace(
    "[Дд]", "д") + r")(?![а-яё]))"
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_YEAR = r"(?P<year>1\d\d\d|20\d\d)"
_YEAR_NUM = r"(?:1\d\d\d|20\d\d)"
#: A year word after a year: "года", "году", "г.", "гг.".
_YW = r"(?:-?(?:м|го|й|ом))?(?:\s*(?P<yw>год(?:а|у|ом|ы|ах|ов|ами)?(?![а-яё])|гг?\.|г(?![а-яё])))"
_YW_OPT = r"(?:-?(?:м|го|й|ом))?(?:\s*(?:год(?:а|у|ом|ы|ах|ов|ами)?(?![а-яё])|гг?\.|г(?![а-яё])))?"
_DAY = r"(?P<day>[0-3]?\d)(?:-?(?:го|е|ое|ого))?"
#: Modifiers kept in the extent, not changing the value ("в конце 2005 года", "в начале июня").
_MODW = r"(?:начал(?:о|а|е|у|ом)|середин(?:а|ы|е|у|ой)|конц(?:а|е|у|ом)|конец)"
_WDS = (r"понедельник(?:а|у|ом|е)?|вторник(?:а|у|ом|е)?|сред(?:а|у|ы|е|ой)|четверг(?:а|у|ом|е)?|пятниц(?:а|у|ы|е|ей)"
        r"|суббот(?:а|у|ы|е|ой)|воскресень(?:е|я|ю|ем)")
_WEEKDAYS = [("понедельник", 0), ("вторник", 1), ("сред", 2), ("четверг", 3), ("пятниц", 4), ("суббот", 5),
             ("воскресень", 6)]
_WREL = (r"прошл(?:ую|ый|ое|ой|ом)|минувш(?:ую|ий|ее|ей|ем)|прошедш(?:ую|ий|ее|ей|ем)|эт(?:у|от|о|ой|ом)|следующ(?:ую|ий|ее|ей|ем)"
         r"|ближайш(?:ую|ий|ее|ей|ем)|будущ(?:ую|ий|ее|ей|ем)")

_REL_THIS = r"эт(?:от|ом|ого|ой|у|а|им)|текущ(?:ий|ем|его|ей|ую|ая)|нынешн(?:ий|ем|его|ей|юю|яя|им)|сего|сем|сей"
_REL_LAST = (r"прошл(?:ый|ом|ого|ой|ую|ая|ым)|минувш(?:ий|ем|его|ей|ую|ая|им)|предыдущ(?:ий|ем|его|ей|ую|ая|им)"
             r"|прошедш(?:ий|ем|его|ей|ую|ая|им)")
_REL_NEXT = (r"следующ(?:ий|ем|его|ей|ую|ая|им)|будущ(?:ий|ем|его|ей|ую|ая|им)|грядущ(?:ий|ем|его|ей|ую|ая)"
             r"|наступающ(?:ий|ем|его|ей|ую|ая)")
_REL_LAST2 = r"позапрошл(?:ый|ом|ого|ой|ую|ая)"
_REL = "(?P<rel>" + "|".join((_REL_LAST2, _REL_THIS, _REL_LAST, _REL_NEXT)) + ")"
#: A year named relative to the publication date or to the text after a month ("в марте этого года").
_YREL = (r"(?P<yrel>(?:эт(?:ого|ом)|текущ(?:его|ем)|нынешн(?:его|ем)|прошл(?:ого|ом)|минувш(?:его|ем)|следующ(?:его|ем)"
         r"|будущ(?:его|ем)|позапрошл(?:ого|ом)|сего)\s+год[ау]|с\.\s?г\.|т\.\s?г\.|того\s+же\s+года|том\s+же\s+году)")

_NUM_FORMS = [
    (r"одиннадцат(?:ь|и|ью)", 11), (r"двенадцат(?:ь|и|ью)", 12), (r"тринадцат(?:ь|и|ью)", 13),
    (r"четырнадцат(?:ь|и|ью)", 14), (r"пятнадцат(?:ь|и|ью)", 15), (r"шестнадцат(?:ь|и|ью)", 16),
    (r"семнадцат(?:ь|и|ью)", 17), (r"восемнадцат(?:ь|и|ью)", 18), (r"девятнадцат(?:ь|и|ью)", 19),
    (r"двадцат(?:ь|и|ью)", 20), (r"тридцат(?:ь|и|ью)", 30), (r"сорок(?:а)?", 40),
    (r"пятьдесят|пятидесяти|пятьюдесятью", 50), (r"шестьдесят|шестидесяти", 60), (r"семьдесят|семидесяти", 70),
    (r"восемьдесят|восьмидесяти", 80), (r"девяност(?:о|а)", 90), (r"ст(?:о|а)", 100),
    (r"один|одна|одно|одну|одного|одной|одном|одним", 1), (r"два|две|двух|двум|двумя", 2),
    (r"три|тр[её]х|тр[её]м|тремя", 3), (r"четыре|четыр[её]х|четыр[её]м|четырьмя", 4), (r"пять|пяти|пятью", 5),
    (r"шесть|шести|шестью", 6), (r"семь|семи|семью", 7), (r"восемь|восьми|восемью", 8),
    (r"девять|девяти|девятью", 9), (r"десять|десяти|десятью", 10),
    (r"полтора|полторы|полутора", 1.5), (r"пару|пара|пары", 2),
]
_NUM_RX = [(re.compile(r"(?:" + rx + r")$"), v) for rx, v in _NUM_FORMS]
_FEW = r"несколько|нескольких|нескольким|много|многих|многие|немало|десятки|десятков|сотни|сотен"
_NUMWORD = r"(?:" + "|".join(rx for rx, _ in _NUM_FORMS) + r")(?![а-яё])"
_NUMBER = (r"(?:\d+(?:[.,]\d+)?(?:-?(?:и|ти|ми|х|ух|ех|ёх|ью|мя))?|(?:(?:двадцат|тридцат)(?:ь|и|ью)|сорок(?:а)?|"
           r"пятьдесят|шестьдесят|семьдесят|восемьдесят|девяност[оа])\s+" + _NUMWORD + "|" + _NUMWORD + ")")
#: Units of durations: (regex of the forms, letter, multiple, time part).
_UNITS = [
    (r"лет|год|года|годы|годов|годам|годами", "Y", 1, False),
    (r"месяц|месяца|месяцев|месяцы|месяцам|месяцами", "M", 1, False),
    (r"недел(?:я|ю|и|ь|ям|ями)", "W", 1, False),
    (r"день|дня|дней|дням|днями|сутки|суток", "D", 1, False),
    (r"десятилети(?:е|я|й|ями)", "Y", 10, False),
    (r"век(?:а|ов)|столети(?:е|я|й)", "Y", 100, False),
    (r"час|часа|часов|часам|часами", "H", 1, True),
    (r"минут(?:а|у|ы|ами)?", "M", 1, True),
    (r"секунд(?:а|у|ы|ами)?", "S", 1, True),
]
_UNIT = r"(?P<unit>" + "|".join(rx for rx, *_ in _UNITS) + r")(?![а-яё])"
_UNIT_RX = [(re.compile(r"(?:" + rx + r")$"), letter, mult, tpart) for rx, letter, mult, tpart in _UNITS]
_HALF_UNITS = {"полгода": "P6M", "полугода": "P6M", "полчаса": "PT30M", "получаса": "PT30M", "полдня": "PT12H",
               "полсуток": "PT12H", "полмесяца": "P2W", "полвека": "P50Y", "полвеков": "P50Y", "полминуты": "PT30S"}

_SEASON = r"(?P<season>весн(?:а|ы|е|у|ой|ою)|лет(?:о|а|е|у|ом)|осен(?:ь|и|ью)|зим(?:а|ы|е|у|ой|ою))(?![а-яё])"
_SEASON_CODE = {"вес": "SP", "лет": "SU", "осе": "FA", "зим": "WI"}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "Х": 10}
_DECADE_WORDS = {"двадцат": 2, "тридцат": 3, "сороков": 4, "пятидесят": 5, "шестидесят": 6, "семидесят": 7,
                 "восьмидесят": 8, "девяност": 9}
_YEARS_WORD = r"(?:\s+(?:год(?:ы|ах|ов|ам|ами)|гг\.))"
_NOT_AFTER_DECADE = (r"(?!\s+[А-ЯЁа-яё]+(?:их|ых)(?![а-яё]))(?!\s+(?:мест|числ|строк|позиц|этаж|класс|ряд|тур|круг|минут|секунд|километр|метр|процент"
                     r"|номер|стран|участ|раз))")

# --- vague references ---------------------------------------------------------------------------------------

_PRES = (r"(?<![а-яё])(?P<t>сейчас|теперь|ныне|нынче)(?![а-яё])|(?:в|на|к|до|по)\s+(?P<t2>настоящ(?:ее|ий|его|ему)\s+(?:время|момент|времени|моменту|момента)"
         r"|данн(?:ый|ому|ого)\s+момент[ау]?|текущ(?:ий|ему|его)\s+момент[ау]?|сегодняшн(?:ий|ему|его)\s+(?:день|дню|дня)|наши\s+дни)(?![а-яё])")
_PAST = (r"(?<![а-яё])(?<!не\s)(?<!не\s\s)(?P<t3>недавно|ранее)(?![а-яё])(?!,?\s+чем)"
         r"|в\s+(?P<t4>прошлом)(?!\s+(?:году|месяце|веке|квартале|десятилетии|сезоне|полугодии|тысячелетии|матче"
         r"|туре|раунде|чемпионате|розыгрыше|номере|выпуске|году))(?![а-яё])"
         r"|(?:в|за)\s+(?P<t5>последнее\s+время)(?![а-яё])"
         r"|(?P<t6>последн(?:ие|их)\s+(?:годы|лет|месяцы|месяцев|недели|недель|дни|дней|десятилетия|десятилетий"
         r"|несколько\s+(?:лет|месяцев|недель|дней)))(?![а-яё])"
         r"|(?P<t7>(?:несколько|много|немало)\s+(?:лет|месяцев|недель|дней|десятилетий|веков)\s+(?:тому\s+)?назад)(?![а-яё])")
_FUT = (r"(?<![а-яё])(?P<t8>скоро|вскоре)(?![а-яё])|в\s+(?P<t9>ближайшее\s+время|скором\s+времени|ближайшем\s+будущем"
        r"|обозримом\s+будущем|недал[её]ком\s+будущем|будущем|дальнейшем)(?![а-яё])(?!\s+(?:году|месяце|веке|квартале|сезоне|полугодии))"
        r"|на\s+(?P<t10>будущее|ближайшее\s+время)(?![а-яё])"
        r"|(?P<t11>ближайш(?:ие|их)\s+(?:годы|лет|месяцы|месяцев|недели|недель|дни|дней|десятилетия|десятилетий))(?![а-яё])")
_REF_KIND = {"t": "PRESENT_REF", "t2": "PRESENT_REF", "t3": "PAST_REF", "t4": "PAST_REF", "t5": "PAST_REF",
             "t6": "PAST_REF", "t7": "PAST_REF", "t8": "FUTURE_REF", "t9": "FUTURE_REF", "t10": "FUTURE_REF",
             "t11": "FUTURE_REF"}

# --- patterns, in priority order: an expression found by an earlier pattern is not taken again -------------

_I = re.I
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"(?<![\d.-])(?P<y>1[89]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")),
    ("numeric", re.compile(r"(?<![\d.,])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>1[89]\d\d|20\d\d)(?!\.?\d)"
                           r"(?:\s*г(?:ода|\.|(?![а-яё])))?")),
    ("dmy", re.compile(r"(?<![\d.,:])" + _DAY + r"\s+" + _MON + r",?\s+" + _YEAR + r"(?!\d)" + _YW_OPT)),
    ("day_range", re.compile(r"(?<![\d.,:])(?P<day>[0-3]?\d)(?:-?(?:го|е))?(?=(?:\s*(?:[-–—]|,|и|или|по|на|до)\s*[0-3]?\d"
                             r"(?:-?(?:го|е))?)+\s+" + _MON + r"(?:,?\s+" + _YEAR + r"(?!\d))?)")),
    ("my", re.compile(r"(?<![а-яё])" + _MON + r",?\s+" + _YEAR + r"(?!\d)" + _YW_OPT)),
    ("month_range", re.compile(r"(?<![а-яё])" + _MON + r"(?=\s*[-–—]\s*" + _MON2 + r",?\s+" + _YEAR + r"(?!\d))")),
    ("dm", re.compile(r"(?<![\d.,:])" + _DAY + r"\s+" + _MON + r"(?:\s+" + _YREL + r")?")),
    ("season_year", re.compile(r"(?<![а-яё])" + _SEASON + r"\s+(?:" + _YEAR + r"(?!\d)" + _YW_OPT + "|" + _YREL + ")", _I)),
    ("half", re.compile(r"(?<![а-яё])(?P<h>перв|втор)(?:ой|ая|ую|ом|ое|ого|ому)\s+(?:половин(?:а|е|ы|у|ой)|полугоди(?:е|и|я|ю|ем))"
                        r"(?:\s+(?:" + _YEAR + r"(?!\d)" + _YW_OPT + "|" + _YREL + "))?(?![а-яё])", _I)),
    ("quarter", re.compile(r"(?<![а-яё\d])(?P<q>перв(?:ом|ого|ый|ому)|втор(?:ом|ого|ой|ому)|трет(?:ьем|ьего|ий|ьему)"
                           r"|четв[её]рт(?:ом|ого|ый|ому)|IV|I{1,3}|[1-4]-?(?:м|й|ом|го))\s+квартал(?:е|а|у|ом)?(?![а-яё])"
                           r"(?:\s+(?:" + _YEAR + r"(?!\d)" + _YW_OPT + "|" + _YREL + "))?", _I)),
    ("century", re.compile(r"(?<![\w-])(?P<c>[IVXХ]{1,5}|\d{1,2})(?:-?(?:м|го|й|ом))?(?:\s*[-–—]\s*(?:[IVXХ]{1,5}|\d{1,2})(?:-?(?:м|го|й|ом))?)?"
                           r"\s+(?:век(?:а|е|у|ом|ов|ах)?(?![а-яё])|вв?\.)")),
    ("century_range", re.compile(r"(?<![\w-])(?P<c>[IVXХ]{1,5})(?=\s*[-–—]\s*[IVXХ]{1,5}\s+век)")),
    ("decade", re.compile(r"(?<![\d.,-])(?P<d4>1\d\d0|20\d0)-?(?:е|х|ые|ых|ми)(?![а-яё])" + _YEARS_WORD + "?")),
    ("decade2", re.compile(r"(?<![\d.,-])(?P<d2>[2-9]0)-?(?:е|х|ые|ых)(?![а-яё])(?:" + _YEARS_WORD + "|" + _NOT_AFTER_DECADE + ")")),
    ("decade_word", re.compile(r"(?<![а-яё])(?P<dw>двадцат|тридцат|сороков|пятидесят|"
                               r"шестидесят|семидесят|восьмидесят|девяност|нулев)(?:ые|ых|ым|ыми)(?![а-яё])(?P<yw>" + _YEARS_WORD + ")?", _I)),
    ("year", re.compile(r"(?<![\d.,/\w])(?<![^\d\s][-–—])(?P<year>[12]\d\d\d)" + _YW)),
    ("year2", re.compile(r"(?<![\d.,/\w])(?<![^\d\s][-–—])(?P<y2>\d\d)-?(?:го|м|й)\s+год(?:а|у|ом)?(?![а-яё])")),
    ("year_range", re.compile(r"(?<![\d.,/\w])(?<![^\d\s][-–—])" + _YEAR + r"(?=\s*(?:[-–—/]|по|до|и|или)\s*" + _YEAR_NUM + r"(?!\d)"
                              + r"(?:-?(?:м|го|й|ом))?\s*(?:год(?:а|у|ом|ы|ах|ов|ами)?(?![а-яё])|гг?\.))")),
    ("year_prep", re.compile(r"(?<![а-яё])(?:в|во|с|со|к|ко|после|между|начале|конце|середине|начала|конца|середины|"
                             r"начиная\s+с)\s+(?P<year>1[5-9]\d\d|20\d\d)(?![\d.,]\d)"
                             r"(?=\s*[,;:)»\".!?]|\s*$|\s+(?:и|а|но|он|она|оно|они|мы|вы|я|был|была|было|были|уже|ещё|еще|тоже|также|когда)(?![а-яё])|\s+[А-ЯЁA-Z])", _I)),
    ("month_rel", re.compile(r"(?=[яфмаисонд])(?<![а-яё])" + _MON_LC + r"(?:\s+" + _YREL + r")?")),
    ("ago", re.compile(r"(?<![\w-])(?P<n>" + _NUMBER + r"|полгода|полвека)?\s*(?<![а-яё])(?P<unit>лет|год(?:а)?|месяц(?:а|ев)?|недел(?:ю|и|ь)|"
                       r"дн(?:я|ей)|день|сутки|суток|десятилети(?:е|я|й)|час(?:а|ов)?|минут(?:у|ы)?)?\s*(?P<dir>(?:тому\s+)?назад)(?![а-яё])", _I)),
    ("year_anaphor", re.compile(r"(?<![а-яё])(?:(?P<ya>того\s+же\s+года|(?<=в\s)том\s+же\s+году|(?<=в\s)тот\s+же\s+год)"
                                r"|(?P<yb>годом|год)\s+(?P<ydir>ранее|раньше|позже|позднее|спустя|после\s+этого|до\s+этого))(?![а-яё])", _I)),
    ("relative", re.compile(r"(?=[этнспмбгЭТНСПМБГ])(?<![а-яё])" + _REL + r"\s+(?P<unit>год(?:а|у)?|месяц(?:а|е)?|недел(?:я|и|е|ю)|квартал(?:а|е)?"
                            r"|век(?:а|е)?|десятилети(?:е|я|и)|полугоди(?:е|я|и))(?![а-яё])", _I)),
    ("mod_unit", re.compile(r"(?<![а-яё])(?P<mod>" + _MODW + r")\s+(?P<unit>года|году|недели|неделе|месяца|месяце)(?![а-яё])", _I)),
    ("season_rel", re.compile(r"(?<![а-яё])(?P<srel>эт(?:ой|им|ого|ом|а|о|у)|прошл(?:ой|ым|ого|ом|ая|ое|ую)|следующ(?:ей|им|его|ем|ая|ее|ую)"
                              r"|будущ(?:ей|им|его|ем)|минувш(?:ей|им|его|ем)|нынешн(?:ей|им|его|ем))\s+" + _SEASON, _I)),
    ("day_anaphor", re.compile(r"(?<![а-яё])(?:(?P<nak>накануне)|(?P<tag>следующ(?:ий|его|ему)\s+(?:день|дня|дню)|другой\s+день"
                               r"|следующ(?:ее|его)\s+(?:утро|утра)|(?:эт|т)(?:от|ом|ого)\s+же\s+(?:день|дне|дня)))(?![а-яё])", _I)),
    ("weekday", re.compile(r"(?<![а-яё])(?:(?:[Вв]о?|[Сс]о?|[Дд]о|[Кк]о?|[Нн]а|[Пп]о|ночь\s+на|ночь\s+с)\s+)(?P<t>(?:(?P<wrel>" + _WREL + r")\s+)?"
                           r"(?P<wd>" + _WDS + r"))(?![а-яё])")),
    ("deictic", re.compile(r"(?<![а-яё])(?P<w>сегодня|вчера|завтра|позавчера|послезавтра)(?![а-яё])(?!»)", _I)),
    ("ref", re.compile(r"(?=[стнвкдпрмбСТНВКДПРМБ])(?:" + _PRES + "|" + _PAST + "|" + _FUT + ")", _I)),
    ("duration", re.compile(r"(?=[\dодтчпшсвнмбОДТЧПШСВНМБ])(?<![\w.,-])(?P<t>(?:(?P<last>последн(?:ие|их)|ближайш(?:ие|их))\s+)?(?P<n>" + _NUMBER + "|" + _FEW + r")"
                            r"(?:\s*[-–—]\s*(?P<n2>" + _NUMBER + r"))*(?P<half>\s+с\s+половиной)?\s+" + _UNIT
                            + r"(?:\s+(?P<mins>\d+)\s+минут(?:а|ы)?(?![а-яё]))?)", _I)),
    ("duration_half", re.compile(r"(?<![а-яё])(?P<t>" + "|".join(_HALF_UNITS) + r")(?![а-яё])", _I)),
    ("duration_whole", re.compile(r"(?<![а-яё])(?P<t>(?:цел(?:ый|ые|ых|ую)|весь|всю)\s+(?P<unit>день|год|месяц|неделю|сутки|час))(?![а-яё])", _I)),
    ("duration_bare", re.compile(r"(?<![а-яё])(?:в\s+течение|на\s+протяжении|в\s+продолжение|за|через|спустя)\s+(?P<t>(?P<unit>года|месяца|недели|суток"
                                 r"|дня|часа|минуты|десятилетия|год|месяц|неделю|сутки|день|час|минуту|десятилетие))(?![а-яё])"
                                 r"(?!\s+(?:\d|назад|тому))", _I)),
]

_MONTHS_ANY = ("янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
_REF_WORDS = ("сейчас", "теперь", "ныне", "нынче", "настоящ", "данн", "текущ", "сегодняшн", "наши дни", "недавно", "ранее", "прошлом", "последн", "назад", "скоро", "вскоре", "ближайш", "будущ", "дальнейш", "обозрим", "недал")
_WD_STEMS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен")
_DUR_UNITS = ("лет", "год", "месяц", "недел", "дн", "день", "сут", "десятилет", "век", "столет", "час", "минут", "секунд")
#: Substrings (lower case) one of which every match of a pattern contains; a text without them skips it.
_NEEDS: dict[str, tuple[str, ...]] = {
    "dmy": _MONTHS_ANY, "day_range": _MONTHS_ANY, "my": _MONTHS_ANY, "month_range": _MONTHS_ANY, "dm": _MONTHS_ANY,
    "month_rel": _MONTHS_ANY, "season_year": ("весн", "лет", "осен", "зим"), "half": ("половин", "полугод"),
    "quarter": ("квартал",), "century": ("век", "в."), "century_range": ("век",), "decade_word": ("десят", "сороков", "девяност", "нулев"),
    "ago": ("назад",), "year_anaphor": ("того же", "том же", "тот же", "годом", "год "),
    "relative": ("год", "месяц", "недел", "квартал", "век", "десятилет", "полугод"),
    "mod_unit": ("начал", "середин", "конц", "конец"), "season_rel": ("весн", "лет", "осен", "зим"), "day_anaphor": ("накануне", "день", "дня", "дню", "дне", "утр"),
    "weekday": _WD_STEMS, "deictic": ("сегодня", "вчера", "завтра"), "ref": _REF_WORDS, "duration": _DUR_UNITS,
    "duration_half": ("пол",), "duration_whole": ("цел", "весь", "всю"), "duration_bare": _DUR_UNITS,
}
#: Words kept in the extent just before what a pattern found: a modifier ("конце 2005 года", "начале июня"),
#: a weekday before a date ("субботу, 13 ноября").
_MOD_BEFORE = re.compile(r"(?<![а-яё])" + _MODW + r"\s+$", re.I)
_WD_BEFORE = re.compile(r"(?<![а-яё])(?:(?:" + _WREL + r")\s+)?(?:" + _WDS + r")(?![а-яё]),?\s+$", re.I)
_EXTEND = {"dmy": _WD_BEFORE, "dm": _WD_BEFORE, **{k: _MOD_BEFORE for k in (
    "my", "season_year", "century", "decade", "decade2", "decade_word", "year", "year2", "relative", "month_rel")}}
#: Patterns that need a digit in the text.
_DIGITS = {"iso", "numeric", "dmy", "day_range", "my", "month_range", "dm", "decade", "decade2", "year", "year2",
           "year_range", "year_prep"}
_ANY = re.compile(r"\d|[IVXХ]{2}|январ|феврал|март|апрел|ма[йяею]|июн|июл|август|сентябр|октябр|ноябр|декабр|сегодн|вчера|завтра"
                  r"|назад|недел|месяц|год|лет|дн[яеи]|день|сутки|суток|час|минут|век|сейчас|теперь|ныне|нынче|недавно|ранее"
                  r"|прошл|будущ|скоро|вскоре|ближайш|последн|настоящ|момент|понедельник|вторник|сред[уы]|четверг|пятниц|суббот"
                  r"|воскресен|накануне|весн|осен|зим|квартал|полугод|половин|нулев|десят|сороков|девяност|дальнейш", re.I)


def find_timexes_ru(text: str, pub_date: str | None = None, context_year: int | None = None) -> list[Timex]:
    """Temporal expressions in Russian ``text``, in text order, the same records as
    :func:`tacitus.extract.timex.find_timexes` gives for English.

    ``pub_date`` (ISO) anchors relative expressions; ``context_year`` completes a day and month (or a month)
    without a year before the publication date does. Expressions that refer back ("накануне", "на следующий
    день", "того же года") take the last date named before them.
    """
    if not text or _ANY.search(text) is None:
        return []
    low = text.lower()
    digits = any(c.isdigit() for c in text)
    spans: list[tuple[int, int, str, re.Match]] = []
    starts: list[int] = []  # the expressions taken so far: disjoint, sorted by start
    ends: list[int] = []
    for kind, rx in PATTERNS:
        if kind in _DIGITS and not digits:
            continue
        needs = _NEEDS.get(kind)
        if needs is not None and not any(w in low for w in needs):
            continue
        for m in rx.finditer(text):
            s, e = _extent(kind, m)
            ext = _EXTEND.get(kind)
            if ext is not None:
                x = ext.search(text, max(0, s - 40), s)
                if x is not None:
                    s = x.start()
            i = bisect_right(starts, s)
            if s >= e or (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
                continue  # overlaps an expression taken before
            if not _acceptable(kind, m, text, s, e):
                continue
            spans.append((s, e, kind, m))
            starts.insert(i, s)
            ends.insert(i, e)
    return in_text_order(spans, _make, text, pub_date, context_year)


def _extent(kind: str, m: re.Match) -> tuple[int, int]:
    """The expression's characters: the whole match, or its ``t*`` group (a preposition left out)."""
    g = m.groupdict()
    for name in ("t", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "tag", "nak", "ya"):
        if g.get(name) is not None:
            return m.span(name)
    if kind == "year_prep":
        return m.span("year")
    if kind == "ago" and g.get("n") is None and g.get("unit") is None:
        return 0, 0  # "назад" alone
    s, e = m.span()
    while e > s and m.string[e - 1].isspace():
        e -= 1
    while s < e and m.string[s].isspace():
        s += 1
    return s, e


_CLOCK_BEFORE = re.compile(r"(?:^|[^а-яё])(?:в|к|около|с|со|до|по|примерно\s+в|около)\s+$", re.I)
_CLOCK_AFTER = re.compile(r"^[^.;!?]{0,30}?(?:врем|утра|вечера|ночи|дня(?![а-яё])|мск|по\s+москов|gmt|utc)", re.I)
_AGE_BEFORE = re.compile(r"(?:возрасте|моложе|старше|младше|ему|ей|им|исполнилось|исполнится|исполняется|исполнилось\s+бы|стукнуло)\s+$", re.I)
_TEMPORAL_PREP = re.compile(r"(?:^|[^а-яё])(?:в\s+течение|на\s+протяжении|за|через|спустя|на|в|до|после|уже|все|более|менее|около|почти"
                            r"|свыше|примерно|последние|ближайшие)\s+$", re.I)
_NAK_PREP = re.compile(r"^\s+(?:\d|[«\"]|[А-ЯЁA-Z][а-яё]*(?:ого|его|ой|ей|ых|их|ия|ии|ства|ния|тия|ы)(?![а-яё])"
                       r"|(?!(?:был|была|было|были|вечером|утром|днём|днем|ночью|он|она|они|оно|же|также|тоже|уже|в|на|с|по|из|у)\s)"
                       r"[а-яё]+(?:а|я|ы|и|ов|ев|ей|ого|его|ой|ых|их|ия|ии|ых)(?![а-яё])(?<!л)(?<!ли)(?<!ла))")


def _acceptable(kind: str, m: re.Match, text: str, s: int, e: int) -> bool:
    """Lexical checks: clock times and ages are not durations, "накануне визита" is a preposition, a month
    alone needs a preposition or a determiner, "в среде" is a milieu, not Wednesday."""
    before = text[max(0, s - 30):s]
    if kind == "month_rel":
        if s < m.start() or m.group("yrel"):
            return True  # a modifier ("в начале июня") or a year ("в марте этого года")
        if re.search(r"(?:" + _MONTH_FORMS + r")\s*[-–—]\s*$", before):
            return True  # "на август-сентябрь"
        return re.search(r"(?:^|[^а-яё])(?:в|во|с|со|до|к|ко|по|на|от|после|между|и|или|течение|"
                         r"начиная\s+с|вплоть\s+до|половин[еыау])\s+$", before, re.I) is not None
    if kind == "weekday":
        wd = m.group("wd")
        if wd.startswith("сред"):  # "в среде" (milieu), "на среду" (the environment): only "в среду", "со среды"
            pre = text[m.start():m.start("t")].strip().lower()
            return (wd == "среду" and pre in ("в", "во", "ночь на")) or (wd == "среды" and pre in ("со", "до"))
        return True
    if kind == "day_anaphor" and m.group("nak"):
        return not _nakanune_preposition(text[e:e + 40])
    if kind == "duration":
        unit = m.group("unit").lower()
        tpart = unit.startswith(("час", "минут", "секунд"))
        after = text[e:e + 40]
        if tpart and m.group("n") and m.group("n")[0].isdigit():
            if _CLOCK_BEFORE.search(before) or _CLOCK_AFTER.search(after):
                return False  # "в 19 часов", "13 часов 30 минут (по московскому времени)"
        if unit in ("лет", "год", "года"):
            if _AGE_BEFORE.search(before) or re.match(r"\s*от\s+роду", after):
                return False
            window = text[max(0, s - 40):s]
            if window.rfind("(") > window.rfind(")") and not _TEMPORAL_PREP.search(before):
                return False  # "(Болгария, 30 лет, ...)", "юный (15 лет)": an age
        n = m.group("n")
        if unit.startswith("год") and re.fullmatch(r"1\d\d\d|20\d\d", n):
            return False  # "2010 года" where the year pattern did not take it ("Евро-2010 года")
        return True
    if kind == "decade_word":
        return bool(s < m.start() or m.group("yw") or re.search(
            r"(?:^|[^а-яё])(?:в|во|с|со|до|к|от|по|из)\s+$", before, re.I))
    if kind == "half":
        return bool(m.group("year") or m.group("yrel")) or "полугод" in m.group(0).lower()
    if kind == "ago":
        unit = (m.group("unit") or "").lower()
        if m.group("n") is None and unit not in ("год", "месяц", "неделю", "день", "сутки", "час", "минуту", ""):
            return False  # "лет назад" needs a number
        return re.search(r"(?:несколько|нескольких|много|немало|многих)\s+$", text[max(0, s - 15):s], re.I) is None
    if kind == "century":
        c = m.group("c")
        return not c.isdigit() or 10 <= int(c) <= 21
    if kind == "year":
        y = int(m.group("year"))
        if y < 1000:
            return False
        after = text[m.end():m.end() + 12]
        if m.group("yw") and m.group("yw").startswith("г") and not m.group("yw").startswith("год"):
            # "1989 г." is a year; "2000 г" followed by a noun of mass ("2000 г сахара") is grams
            if re.match(r"\s*[а-яё]{3,}", after) and not m.group("yw").endswith("."):
                return False
        return True
    return True


@lru_cache(maxsize=1)
def _morph():
    """pymorphy3's analyser, loaded on first use (None where it is not installed)."""
    try:
        import pymorphy3
    except ImportError:
        return None
    return pymorphy3.MorphAnalyzer()


def _nakanune_preposition(after: str) -> bool:
    """Whether "накануне" governs what follows ("накануне визита", "накануне 9 мая"), a preposition, rather
    than standing alone ("накануне он заявил", "Накануне, ..."): the next word is a genitive."""
    m = re.match(r"\s+([«\"]?)(\d|[А-ЯЁа-яёA-Za-z-]+)", after)
    if m is None:
        return False
    if m.group(1) or m.group(2).isdigit():
        return True
    if _morph() is None:
        return _NAK_PREP.match(after) is not None
    return _genitive(m.group(2))


@lru_cache(maxsize=4096)
def _genitive(word: str) -> bool:
    """Whether the likeliest reading of ``word`` is a genitive noun, adjective, pronoun or numeral."""
    p = _morph().parse(word)[0]
    return "gent" in p.tag and p.tag.POS in ("NOUN", "ADJF", "NPRO", "NUMR", "PRTF", "ADJS")


def _month(name: str) -> int:
    low = name.lower().rstrip(".")
    for stem, n in _MONTH_STEMS:
        if low.startswith(stem):
            return n
    return {"янв": 1, "фев": 2, "апр": 4, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}[low[:3]]


def _roman(s: str) -> int:
    vals = [_ROMAN.get(c, 0) for c in s.upper()]
    total = 0
    for i, v in enumerate(vals):
        total += -v if i + 1 < len(vals) and vals[i + 1] > v else v
    return total


def _number(s: str) -> float | None:
    """The value of a number written in digits or words ("20-и" -> 20, "двадцать пять" -> 25); None for
    "несколько" and other amounts that are not stated."""
    s = s.strip().lower()
    m = re.match(r"(\d+(?:[.,]\d+)?)", s)
    if m:
        return float(m.group(1).replace(",", "."))
    total = 0.0
    for word in s.split():
        for rx, v in _NUM_RX:
            if rx.match(word):
                total += v
                break
        else:
            return None
    return total or None


def _amount(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _year_rel(yrel: str, st: _State) -> tuple[int | None, bool]:
    """The year of "этого года", "прошлого года", "с.г.", "того же года": (year, counted from the text)."""
    w = yrel.lower()
    if "же" in w:
        return (st.last.year if st.last is not None else None), True
    if st.pub is None:
        return None, False
    step = -2 if w.startswith("позапрошл") else -1 if w.startswith(("прошл", "минувш")) else 1 if w.startswith(("следующ", "будущ")) else 0
    return st.pub.year + step, False


def _step(rel: str) -> int:
    r = rel.lower()
    if r.startswith("позапрошл"):
        return -2
    if r.startswith(("прошл", "минувш", "предыдущ", "прошедш")):
        return -1
    if r.startswith(("следующ", "будущ", "грядущ", "наступающ")):
        return 1
    return 0


def _weekday(name: str) -> int:
    low = name.lower()
    return next(n for stem, n in _WEEKDAYS if low.startswith(stem))


#: A future cue after a weekday in the same clause ("в пятницу состоится встреча", "в среду будет").
_AHEAD_AFTER = re.compile(r"^[^.;!?]{0,50}?(?<![а-яё])(?:состоится|состоятся|пройд[её]т|пройдут|будет|будут|начн[её]тся|откроется"
                          r"|завершится|ожидается|ожидаются|планиру\w*|намерен\w*|предстоит|собирается|собираются|долж(?:ен|на|ны) (?!был))(?![а-яё])", re.I)
_AHEAD_BEFORE = re.compile(r"(?<![а-яё])(?:будет|будут|состоится|состоятся|пройд[её]т|пройдут|планиру\w*|намерен\w*|собира\w*|ожида\w*"
                           r"|предстоит|назначен\w*|перенес\w*)(?![а-яё])[^.;!?]{0,40}$", re.I)


def _ahead(whole: str, s: int, e: int) -> bool:
    return _AHEAD_AFTER.search(whole[e:e + 60]) is not None or _AHEAD_BEFORE.search(whole[max(0, s - 60):s]) is not None


def _day_value(mon: int, day: int, year: int | None, st: _State) -> tuple[str | None, bool]:
    """The ISO value of a day and month: with the year given, else ``context_year``, else the nearest to
    the publication date; (value, vague)."""
    if year is not None:
        return _iso(year, mon, day), False
    if st.ctx is not None:
        return _iso(st.ctx, mon, day), False
    if st.pub is None:
        return None, True
    return _iso(_year_for(mon, day, st.pub), mon, day), False


def _make(kind: str, m: re.Match, whole: str, s: int, e: int, st: _State) -> Timex | None:
    g = m.groupdict()
    text = whole[s:e]
    pub, ctx = st.pub, st.ctx
    if kind in ("iso", "numeric"):
        v = _iso(int(g["y"]), int(g["m"]), int(g["d"]))
        return Timex(text, s, e, v, "day") if v and 1 <= int(g["m"]) <= 12 else None
    if kind == "dmy":
        v = _iso(int(g["year"]), _month(g["mon"]), int(g["day"]))
        return Timex(text, s, e, v, "day") if v else None
    if kind in ("dm", "day_range"):
        mon, day = _month(g["mon"]), int(g["day"])
        if not 1 <= day <= 31:
            return None
        year = int(g["year"]) if g.get("year") else None
        anchored = False
        if year is None and g.get("yrel"):
            year, _ = _year_rel(g["yrel"], st)
            anchored = True
            if year is None:
                return Timex(text, s, e, None, "day", anchored=True, vague=True)
        v, vague = _day_value(mon, day, year, st)
        if vague:
            return Timex(text, s, e, None, "day", vague=True)
        return Timex(text, s, e, v, "day", anchored=anchored) if v else None
    if kind == "my":
        return Timex(text, s, e, _iso(int(g["year"]), _month(g["mon"])), "month")
    if kind == "month_range":
        return Timex(text, s, e, _iso(int(g["year"]), _month(g["mon"])), "month")
    if kind == "month_rel":
        mon = _month(g["mon"])
        if g.get("yrel"):
            y, from_text = _year_rel(g["yrel"], st)
            if y is None:
                return Timex(text, s, e, None, "month", anchored=True, vague=True)
            return Timex(text, s, e, _iso(y, mon), "month", anchored=True)
        if ctx:
            return Timex(text, s, e, _iso(ctx, mon), "month")
        if pub is None:
            return Timex(text, s, e, None, "month", vague=True)
        return Timex(text, s, e, _iso(_year_for(mon, None, pub), mon), "month", anchored=True)
    if kind in ("season_year", "season_rel"):
        code = _SEASON_CODE[g["season"].lower()[:3]]
        if g.get("year"):
            y = int(g["year"])
            return Timex(text, s, e, f"{y:04d}", "year", tml=f"{y:04d}-{code}")
        if g.get("yrel"):
            y, _ = _year_rel(g["yrel"], st)
        elif pub is not None:
            rel = g["srel"].lower()
            y = pub.year + _step(rel)
        else:
            y = None
        if y is None:
            return Timex(text, s, e, None, "year", anchored=True, vague=True)
        return Timex(text, s, e, f"{y:04d}", "year", anchored=True, tml=f"{y:04d}-{code}")
    if kind in ("half", "quarter"):
        if kind == "half":
            part, letter, months = (1 if g["h"].lower() == "перв" else 2), "H", 6
        else:
            q = g["q"]
            part = (_roman(q) if q[0] in "IV" else int(q[0]) if q[0].isdigit() else
                    {"пер": 1, "вто": 2, "тре": 3, "чет": 4}[q.lower()[:3]])
            letter, months = "Q", 3
        anchored = False
        if g.get("year"):
            y = int(g["year"])
        elif g.get("yrel"):
            y, _ = _year_rel(g["yrel"], st)
            anchored = True
        elif pub is not None:
            started = date(pub.year, months * (part - 1) + 1, 1) <= pub
            y = pub.year if started else pub.year - 1
            anchored = True
        else:
            y = None
        if y is None:
            return Timex(text, s, e, None, "year", anchored=True, vague=True)
        return Timex(text, s, e, f"{y:04d}", "year", anchored=anchored, tml=f"{y:04d}-{letter}{part}")
    if kind in ("century", "century_range"):
        c = g["c"]
        n = _roman(c) if not c.isdigit() else int(c)
        return Timex(text, s, e, f"{n - 1:02d}", "century") if 1 <= n <= 21 else None
    if kind == "decade":
        return Timex(text, s, e, g["d4"][:3], "decade")
    if kind == "decade2":
        return Timex(text, s, e, "19" + g["d2"][0], "decade")
    if kind == "decade_word":
        stem = g["dw"].lower()
        return Timex(text, s, e, "200" if stem == "нулев" else "19" + str(_DECADE_WORDS[stem]), "decade")
    if kind in ("year", "year_range", "year_prep"):
        y = int(g["year"])
        if pub and y > pub.year + 10 and kind != "year":
            return None
        return Timex(text, s, e, f"{y:04d}", "year")
    if kind == "year2":
        yy = int(g["y2"])
        ref = pub.year if pub else date.today().year
        y = 2000 + yy if 2000 + yy <= ref + 5 else 1900 + yy
        return Timex(text, s, e, f"{y:04d}", "year")
    if kind == "year_anaphor":
        ref = st.last.year if st.last is not None else None
        if g.get("ya"):
            if ref is None:
                return Timex(text, s, e, None, "year", anchored=True, vague=True)
            return Timex(text, s, e, f"{ref:04d}", "year", anchored=True)
        way = g["ydir"].lower()
        sign = -1 if way in ("ранее", "раньше", "до этого") else 1
        base = ref if ref is not None else (pub.year if pub else None)
        if base is None:
            return Timex(text, s, e, None, "year", anchored=True, vague=True)
        return Timex(text, s, e, f"{base + sign:04d}", "year", anchored=True)
    if kind == "ago":
        n_txt, unit = g.get("n"), (g.get("unit") or "").lower()
        if n_txt and n_txt.lower() in ("полгода", "полвека"):
            n, unit = (6, "месяц") if n_txt.lower() == "полгода" else (50, "год")
        elif not unit:
            return None
        else:
            n = _number(n_txt) if n_txt else 1
        if n is None:
            return None
        if pub is None:
            return Timex(text, s, e, None, None, anchored=True, vague=True)
        if unit.startswith(("лет", "год")):
            return Timex(text, s, e, f"{pub.year - int(n):04d}", "year", anchored=True)
        if unit.startswith("десятилет"):
            return Timex(text, s, e, f"{pub.year - 10 * int(n):04d}"[:3], "decade", anchored=True)
        if unit.startswith(("час", "минут")):
            return Timex(text, s, e, pub.isoformat(), "day", anchored=True)
        days = {"мес": 30, "нед": 7}.get(unit[:3], 1) * n
        d = pub - timedelta(days=round(days))
        if unit.startswith("мес"):
            return Timex(text, s, e, d.isoformat()[:7], "month", anchored=True)
        return Timex(text, s, e, d.isoformat(), "week" if unit.startswith("нед") else "day", anchored=True)
    if kind == "mod_unit":
        unit = g["unit"].lower()
        if unit.startswith("год"):
            y = st.ref_year()  # "до конца года": the year being told
            return Timex(text, s, e, f"{y:04d}", "year", anchored=True) if y else Timex(
                text, s, e, None, "year", anchored=True, vague=True)
        if pub is None:
            return Timex(text, s, e, None, None, anchored=True, vague=True)
        if unit.startswith("месяц"):
            return Timex(text, s, e, pub.isoformat()[:7], "month", anchored=True)
        return Timex(text, s, e, pub.isoformat(), "week", anchored=True)
    if kind == "relative":
        unit = g["unit"].lower()
        step = _step(g["rel"])
        if g["rel"].lower() in ("сем", "сего", "сей") and not unit.startswith("год"):
            return None
        if pub is None:
            return Timex(text, s, e, None, None, anchored=True, vague=True)
        if unit.startswith("год"):
            return Timex(text, s, e, f"{pub.year + step:04d}", "year", anchored=True)
        if unit.startswith("месяц"):
            y, mo = pub.year, pub.month + step
            y, mo = (y - 1, mo + 12) if mo < 1 else (y + 1, mo - 12) if mo > 12 else (y, mo)
            return Timex(text, s, e, f"{y:04d}-{mo:02d}", "month", anchored=True)
        if unit.startswith("недел"):
            return Timex(text, s, e, (pub + timedelta(days=7 * step)).isoformat(), "week", anchored=True)
        if unit.startswith("квартал"):
            y, q = pub.year, (pub.month - 1) // 3 + 1 + step
            y, q = (y - 1, q + 4) if q < 1 else (y + 1, q - 4) if q > 4 else (y, q)
            return Timex(text, s, e, f"{y:04d}", "year", anchored=True, tml=f"{y:04d}-Q{q}")
        if unit.startswith("полугод"):
            y, h = pub.year, (pub.month - 1) // 6 + 1 + step
            y, h = (y - 1, h + 2) if h < 1 else (y + 1, h - 2) if h > 2 else (y, h)
            return Timex(text, s, e, f"{y:04d}", "year", anchored=True, tml=f"{y:04d}-H{h}")
        if unit.startswith("десятилет"):
            return Timex(text, s, e, f"{pub.year // 10 + step:03d}", "decade", anchored=True)
        return Timex(text, s, e, f"{(pub.year - 1) // 100 + step:02d}", "century", anchored=True)
    if kind == "day_anaphor":
        lv = st.last.value if st.last is not None else None
        base = pub
        if lv and len(lv) == 10:
            try:
                base = date.fromisoformat(lv)
            except ValueError:
                base = pub
        if base is None:
            return Timex(text, s, e, None, "day", anchored=True, vague=True)
        w = text.lower()
        step = -1 if w == "накануне" else 0 if "же" in w else 1
        return Timex(text, s, e, (base + timedelta(days=step)).isoformat(), "day", anchored=True)
    if kind == "weekday":
        if pub is None:
            return Timex(text, s, e, None, "day", anchored=True, vague=True)
        wd = _weekday(g["wd"])
        rel = (g.get("wrel") or "").lower()
        ahead = (wd - pub.weekday()) % 7
        if rel.startswith(("следующ", "ближайш", "будущ")):
            d = pub + timedelta(days=ahead or 7)
        elif rel.startswith(("прошл", "минувш", "прошедш")):
            d = pub - timedelta(days=(pub.weekday() - wd) % 7 or 7)
        elif rel.startswith("эт"):
            d = pub + timedelta(days=wd - pub.weekday())
        elif _ahead(whole, s, e):
            d = pub + timedelta(days=ahead)
        else:
            d = pub - timedelta(days=(pub.weekday() - wd) % 7)
        return Timex(text, s, e, d.isoformat(), "day", anchored=True)
    if kind == "deictic":
        if pub is None:
            return Timex(text, s, e, None, "day", anchored=True, vague=True)
        shift = {"сегодня": 0, "вчера": -1, "завтра": 1, "позавчера": -2, "послезавтра": 2}[g["w"].lower()]
        return Timex(text, s, e, (pub + timedelta(days=shift)).isoformat(), "day", anchored=True)
    if kind == "ref":
        name = next(_REF_KIND[k] for k in _REF_KIND if g.get(k))
        return Timex(text, s, e, pub.isoformat() if pub else None, None, anchored=True, vague=True, tml=name)
    if kind.startswith("duration"):
        return _duration(kind, g, text, s, e)
    return None


def _duration(kind: str, g: dict, text: str, s: int, e: int) -> Timex | None:
    if kind == "duration_half":
        return Timex(text, s, e, _HALF_UNITS[g["t"].lower()], None, type="DURATION")
    unit = g["unit"].lower()
    letter, mult, tpart = next((lt, mu, tp) for rx, lt, mu, tp in _UNIT_RX if rx.match(unit))
    if kind in ("duration_whole", "duration_bare"):
        n: float | None = 1
    else:
        n = _number(g["n"]) if not g.get("n2") else None
        if n is not None and g.get("half"):
            n += 0.5
    amount = "X" if n is None else _amount(n * mult)
    value = f"PT{amount}{letter}" if tpart else f"P{amount}{letter}"
    if kind == "duration" and g.get("mins") and tpart and letter == "H":
        value += f"{int(g['mins'])}M"
    return Timex(text, s, e, value, None, type="DURATION")
