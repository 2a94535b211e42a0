"""locale_facts: the facts of a sentence that survive translation, read in its own language.

Numbers (digits with the language's separators, scale words such as "3,4 Milliarden" =
3.4 billion, small number words, per cent and currency words), dates (month and weekday names,
"yesterday"/"today"/"tomorrow", years), names (capitalised words, transliterated to ASCII with
``anyascii`` so "Хвидстеен" and "Hvidsteen" can be compared), quotations (the language's quotation
marks) and negation cues, for the languages of :data:`storytrace.text.language.SUPPORTED`. Other
languages get the language-independent part: digits, years, names and quotation marks.

The results are the records of :mod:`storytrace.text.mentions` (``NumberMention``,
``DateMention``, ``SentenceFacts``), so drift and consolidation compare them as they compare
English facts. English itself is read by :mod:`storytrace.text.mentions` and spaCy.

>>> [(n.text, n.value) for n in numbers("Das Abkommen kostet 3,4 Milliarden Euro.", "de")]
[('3,4 Milliarden', 3400000000.0)]
>>> [(d.day, d.month, d.weekday) for d in dates("El jueves 12 de marzo llegó a Ginebra.", "es")]
[(None, None, 3), (12, 3, None)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .comparable import clock_spans
from .mentions import MONTHS as EN_MONTHS
from .mentions import WEEKDAYS as EN_WEEKDAYS
from .mentions import (
    DateMention,
    Entity,
    NumberMention,
    SentenceFacts,
    extract_dates,
    extract_numbers,
    extract_quotes,
)

# ---------------------------------------------------------------- tables, one row per language
#: number words (2 and up: "one"/"ein"/"un" are articles as often as numbers)
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
           "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "hundert": 100, "dutzend": 12},
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
           "onze": 11, "douze": 12, "vingt": 20, "trente": 30, "cent": 100, "douzaine": 12},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
           "once": 11, "doce": 12, "veinte": 20, "treinta": 30, "cien": 100, "docena": 12},
    "it": {"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
           "undici": 11, "dodici": 12, "venti": 20, "trenta": 30, "cento": 100, "dozzina": 12},
    "pl": {"dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8,
           "dziewięć": 9, "dziesięć": 10, "dwanaście": 12, "dwadzieścia": 20, "sto": 100},
    "ru": {"два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
           "девять": 9, "десять": 10, "двенадцать": 12, "двадцать": 20, "сто": 100},
    "tr": {"iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7, "sekiz": 8, "dokuz": 9, "on": 10,
           "yirmi": 20, "otuz": 30, "yüz": 100},
}  # fmt: skip
#: scale words and abbreviations after a number (longest first when matched)
SCALES: dict[str, dict[str, float]] = {
    "de": {"tausend": 1e3, "tsd.": 1e3, "tsd": 1e3, "million": 1e6, "millionen": 1e6, "mio.": 1e6, "mio": 1e6,
           "milliarde": 1e9, "milliarden": 1e9, "mrd.": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "md": 1e9,
           "mds": 1e9, "billion": 1e12, "billions": 1e12},
    "es": {"mil millones": 1e9, "mil": 1e3, "millón": 1e6, "millones": 1e6, "millon": 1e6, "billón": 1e12,
           "billones": 1e12, "mdd": 1e6},
    "it": {"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "mln": 1e6, "miliardo": 1e9, "miliardi": 1e9,
           "mld": 1e9, "mld.": 1e9},
    "pl": {"tys.": 1e3, "tys": 1e3, "tysiąc": 1e3, "tysiące": 1e3, "tysięcy": 1e3, "mln": 1e6, "milion": 1e6,
           "miliony": 1e6, "milionów": 1e6, "mld": 1e9, "miliard": 1e9, "miliardy": 1e9, "miliardów": 1e9},
    "ru": {"тыс.": 1e3, "тыс": 1e3, "тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6,
           "миллиона": 1e6, "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9},
    "tr": {"bin": 1e3, "milyon": 1e6, "milyar": 1e9, "trilyon": 1e12},
    "ar": {"ألف": 1e3, "آلاف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9, "مليارات": 1e9},
    "zh": {"千": 1e3, "万": 1e4, "萬": 1e4, "百万": 1e6, "亿": 1e8, "億": 1e8, "十亿": 1e9},
    "en": {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12},
}  # fmt: skip
#: languages whose decimal separator is a comma ("3,4"), thousands a dot or a space ("3.400", "3 400")
DECIMAL_COMMA = frozenset({"de", "fr", "es", "it", "pl", "ru", "tr", "pt", "nl", "uk", "cs", "sk", "ro", "hu",
                           "el", "sv", "da", "nb", "fi", "id", "ca", "hr", "sr", "bg", "lt", "lv", "et", "sl"})  # fmt: skip
PERCENT_WORDS = {
    "de": ("prozent",), "fr": ("pour cent", "pourcent"), "es": ("por ciento",), "it": ("per cento",),
    "pl": ("procent", "procenta", "procentów"), "ru": ("процент", "процента", "процентов"), "tr": (),
    "en": ("per cent", "percent"), "ar": ("بالمئة", "في المئة", "بالمائة"), "zh": (),
}  # fmt: skip
CURRENCY_WORDS = frozenset(
    "euro euros eur dollar dollars dólar dólares dollaro dollari dolar dolarów доллар доллара долларов евро "
    "avro рубль рубля рублей złotych zł złoty lira lire liras tl yuan yuanes pfund pound pounds libras sterlina "
    "sterline franken francs franc francos yen dinar دولار يورو".split()
)  # fmt: skip
MONTHS: dict[str, dict[str, int]] = {
    "de": {"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
           "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12},
    "fr": {"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
           "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12},
    "es": {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
           "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12},
    "it": {"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "agosto": 8,
           "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12},
    "pl": {"styczeń": 1, "stycznia": 1, "styczniu": 1, "luty": 2, "lutego": 2, "lutym": 2, "marzec": 3, "marca": 3,
           "marcu": 3, "kwiecień": 4, "kwietnia": 4, "kwietniu": 4, "maj": 5, "maja": 5, "maju": 5, "czerwiec": 6,
           "czerwca": 6, "czerwcu": 6, "lipiec": 7, "lipca": 7, "lipcu": 7, "sierpień": 8, "sierpnia": 8,
           "sierpniu": 8, "wrzesień": 9, "września": 9, "wrześniu": 9, "październik": 10, "października": 10,
           "październiku": 10, "listopad": 11, "listopada": 11, "listopadzie": 11, "grudzień": 12,
           "grudnia": 12, "grudniu": 12},
    "ru": {"январь": 1, "января": 1, "январе": 1, "февраль": 2, "февраля": 2, "феврале": 2, "март": 3, "марта": 3,
           "марте": 3, "апрель": 4, "апреля": 4, "апреле": 4, "май": 5, "мая": 5, "мае": 5, "июнь": 6, "июня": 6,
           "июне": 6, "июль": 7, "июля": 7, "июле": 7, "август": 8, "августа": 8, "августе": 8, "сентябрь": 9,
           "сентября": 9, "сентябре": 9, "октябрь": 10, "октября": 10, "октябре": 10, "ноябрь": 11,
           "ноября": 11, "ноябре": 11, "декабрь": 12, "декабря": 12, "декабре": 12},
    "tr": {"ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8,
           "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12},
    "ar": {"يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4, "ابريل": 4,
           "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7, "أغسطس": 8, "آب": 8,
           "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10, "نوفمبر": 11, "تشرين الثاني": 11,
           "ديسمبر": 12, "كانون الأول": 12},
}  # fmt: skip
WEEKDAYS: dict[str, dict[str, int]] = {
    "de": {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
           "sonnabend": 5, "sonntag": 6},
    "fr": {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6},
    "es": {"lunes": 0, "martes": 1, "miércoles": 2, "jueves": 3, "viernes": 4, "sábado": 5, "domingo": 6},
    "it": {"lunedì": 0, "martedì": 1, "mercoledì": 2, "giovedì": 3, "venerdì": 4, "sabato": 5, "domenica": 6},
    "pl": {"poniedziałek": 0, "poniedziałku": 0, "wtorek": 1, "wtorku": 1, "środa": 2, "środę": 2, "środy": 2,
           "czwartek": 3, "czwartku": 3, "piątek": 4, "piątku": 4, "sobota": 5, "sobotę": 5, "soboty": 5,
           "niedziela": 6, "niedzielę": 6, "niedzieli": 6},
    "ru": {"понедельник": 0, "вторник": 1, "среда": 2, "среду": 2, "четверг": 3, "пятница": 4, "пятницу": 4,
           "суббота": 5, "субботу": 5, "воскресенье": 6},
    "tr": {"pazartesi": 0, "salı": 1, "çarşamba": 2, "perşembe": 3, "cuma": 4, "cumartesi": 5, "pazar": 6},
    "ar": {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5,
           "الأحد": 6},
}  # fmt: skip
#: yesterday / today / tomorrow, as the English words of DateMention.relative
DAY_WORDS: dict[str, dict[str, str]] = {
    "de": {"gestern": "yesterday", "heute": "today"},
    "fr": {"hier": "yesterday", "aujourd'hui": "today", "demain": "tomorrow"},
    "es": {"ayer": "yesterday", "hoy": "today"},
    "it": {"ieri": "yesterday", "oggi": "today", "domani": "tomorrow"},
    "pl": {"wczoraj": "yesterday", "dzisiaj": "today", "dziś": "today", "jutro": "tomorrow"},
    "ru": {"вчера": "yesterday", "сегодня": "today", "завтра": "tomorrow"},
    "tr": {"dün": "yesterday", "bugün": "today", "yarın": "tomorrow"},
    "zh": {"昨天": "yesterday", "今天": "today", "明天": "tomorrow"},
    "ar": {"أمس": "yesterday", "اليوم": "today", "غدا": "tomorrow"},
}  # fmt: skip
#: words that negate a statement ("not", "never", "no longer"); Turkish also negates with a verb
#: suffix, which is not read: only "değil" and "yok" are
NEGATION: dict[str, tuple[str, ...]] = {
    "en": ("not", "n't", "never", "cannot"),
    "de": ("nicht", "nie", "niemals", "kein", "keine", "keinen", "keinem", "keiner", "keines"),
    "fr": ("pas", "jamais", "aucun", "aucune", "ni"),
    "es": ("no", "nunca", "jamás", "ningún", "ninguna", "ni"),
    "it": ("non", "mai", "nessun", "nessuna", "né"),
    "pl": ("nie", "nigdy", "żaden", "żadna", "żadne"),
    "ru": ("не", "нет", "никогда", "ни"),
    "tr": ("değil", "yok", "asla", "hiç"),
    "zh": ("不", "没", "沒", "未", "非", "无", "無", "别"),
    "ar": ("لا", "لم", "لن", "ليس", "ليست", "غير"),
}
#: words that look like names in German (every noun is capitalised) but are not: a name in German
#: text is a capitalised word not preceded by one of these and without a common noun ending
_DE_DETERMINERS = frozenset(
    "der die das den dem des ein eine einen einem eines einer im am zum zur vom beim ins ans aufs unser unsere "
    "sein seine ihr ihre dieser diese dieses diesem diesen jeder jede jedes kein keine keinen neue neuen neuer "
    "neues alle viele mehrere beiden".split()
)  # fmt: skip
_DE_NOUN_ENDINGS = ("ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "ität", "ismus", "nis", "tum",
                    "chen", "ment", "abkommen", "vertrag", "ministerium")  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff]")


def script(text: str) -> str:
    """The main script of ``text``: latin, cyrillic, greek, arabic, cjk or other."""
    counts = {"latin": 0, "cyrillic": 0, "greek": 0, "arabic": 0, "cjk": 0, "other": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250:
            counts["latin"] += 1
        elif 0x370 <= o < 0x400:
            counts["greek"] += 1
        elif 0x400 <= o < 0x530:
            counts["cyrillic"] += 1
        elif 0x600 <= o < 0x700 or 0x750 <= o < 0x780:
            counts["arabic"] += 1
        elif 0x3400 <= o < 0xA000:
            counts["cjk"] += 1
        else:
            counts["other"] += 1
    return max(counts, key=lambda k: counts[k]) if any(counts.values()) else "other"


def translit(word: str) -> str:
    """ASCII transliteration, lower case, letters and digits only ("Łódź" -> "lodz")."""
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]", "", anyascii(word).lower())


# ---------------------------------------------------------------- numbers
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789012345678" + "9.,")


@lru_cache(maxsize=64)
def _number_rx(language: str) -> re.Pattern[str]:
    scales = sorted(SCALES.get(language, {}), key=len, reverse=True)
    words = sorted(NUMBER_WORDS.get(language, {}), key=len, reverse=True)
    percent = sorted(PERCENT_WORDS.get(language, ()), key=len, reverse=True)
    if language in DECIMAL_COMMA:
        digits = r"\d{1,3}(?:(?:\.|[ \u00a0\u202f])\d{3})+(?:,\d+)?(?![\d])|\d+,\d+|\d+(?:\.\d{1,2}(?!\d))?"
    else:
        digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    word_alt = "|".join(map(re.escape, words))
    num = rf"(?P<num>{digits}" + (rf"|\b(?:{word_alt})\b" if word_alt else "") + ")"
    sep = "" if language == "zh" else r"\s*"
    end = "" if language == "zh" else r"(?![^\W\d_])"
    scale = rf"(?:{sep}(?P<scale>{'|'.join(map(re.escape, scales))}){end})?" if scales else ""
    pct = (
        r"(?:\s*(?P<pct>%|" + "|".join(map(re.escape, percent)) + r"))?" if percent else r"(?:\s*(?P<pct>%))?"
    )
    cur = r"(?P<cur>[$€£¥₽₺])?\s?"
    tr_pct = r"(?P<prepct>%|yüzde\s)?" if language == "tr" else ""
    return re.compile(tr_pct + cur + num + scale + pct, re.IGNORECASE)


def _value(raw: str, language: str) -> float | None:
    word = NUMBER_WORDS.get(language, {}).get(raw.lower())
    if word is not None:
        return float(word)
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if language in DECIMAL_COMMA:
        if re.fullmatch(r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?", raw):
            raw = raw.replace(".", "").replace(" ", "")
        raw = raw.replace(",", ".")
    else:
        raw = raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


_OF = frozenset({"de", "d", "di", "of", "von", "z", "из"})
_CURRENCY_CJK = ("欧元", "美元", "元", "英镑", "日元", "卢布")


def _currency_follows(after: str, language: str) -> bool:
    """A currency word comes next ("Euro", "d'euros", "di euro", "avroluk", "欧元")."""
    if language == "zh":
        return after.lstrip().startswith(_CURRENCY_CJK)
    for word in re.findall(r"[^\W\d_]+", after)[:3]:
        if word in _OF:
            continue
        return word in CURRENCY_WORDS or (
            language == "tr" and word.startswith(("avro", "dolar", "lira", "euro"))
        )
    return False


def numbers(text: str, language: str, skip: Iterable[tuple[int, int]] | None = None) -> list[NumberMention]:
    """Figures of a sentence in ``language``; ``unit`` is ``"%"``, ``"currency"`` or None (units
    and counted nouns are words of the language, not comparable across languages). Years and the
    digits of dates are left out (``skip``: spans of dates; default: found here)."""
    text = text.translate(_ARABIC_DIGITS)
    spans = (list(skip) if skip is not None else date_spans(text, language)) + clock_spans(
        text
    )  # "10:41": a time
    out: list[NumberMention] = []
    for m in _number_rx(language).finditer(text):
        start = m.start("num")
        if any(s <= start < e for s, e in spans):
            continue
        groups = m.groupdict()
        if language != "zh" and text[m.end("num") : m.end("num") + 1].isalpha() and not groups.get("scale"):
            continue  # "5G", "1990er"
        value = _value(m.group("num"), language)
        if value is None:
            continue
        scale = (groups.get("scale") or "").lower()
        value *= SCALES.get(language, {}).get(scale, 1.0)
        after = text[m.end() : m.end() + 20].lower()
        prepct = groups.get("prepct")
        unit: str | None = None
        if m.group("pct") or prepct:
            unit = "%"
        elif (
            m.group("cur")
            or text[max(0, start - 2) : start].strip() in ("$", "€", "£", "¥")
            or _currency_follows(after, language)
        ):
            unit = "currency"
        shown = text[m.start() : m.end()].strip()
        out.append(NumberMention(shown, value, unit, False))
    return out


# ---------------------------------------------------------------- dates
@lru_cache(maxsize=64)
def _date_rxs(language: str) -> list[tuple[str, re.Pattern[str]]]:
    months = sorted(MONTHS.get(language, {}), key=len, reverse=True)
    days = sorted(WEEKDAYS.get(language, {}), key=len, reverse=True)
    rel = sorted(DAY_WORDS.get(language, {}), key=len, reverse=True)
    b = "" if language in ("zh", "ar") else r"\b"
    out: list[tuple[str, re.Pattern[str]]] = []
    year = r"(?P<year>(?:1[89]|20)\d{2})"
    # numeric dates: "2024-03-12" everywhere, and day first ("12.03.2024", "12/03/2024") in every
    # language with tables here but Chinese (whose dates are written 2024年3月12日)
    out.append(("num", re.compile(rf"(?<![\d.,/-]){year}-(?P<month>0?[1-9]|1[0-2])-(?P<day>[0-3]?\d)(?![\d.,/-]*\d)")))
    if language != "zh":
        out.append((
            "num",
            re.compile(rf"(?<![\d.,/-])(?P<day>[0-3]?\d)([./])(?P<month>0?[1-9]|1[0-2])\2{year}(?![\d,/-]*\d)"),
        ))  # fmt: skip
    if months:
        m = "|".join(map(re.escape, months))
        # "3. März 2024", "12 de marzo de 2024", "1er mars", "3 марта 2024 года"
        out.append(
            (
                "dmy",
                re.compile(
                    rf"\b(?P<day>\d{{1,2}})(?:\.|er|º)?\s*(?:de\s+)?(?P<month>{m}){b}"
                    rf"(?:\s*(?:de|del)?\s*{year})?",
                    re.IGNORECASE,
                ),
            )
        )
        # "März 2024", "marzo de 2024", "im März"
        out.append(("my", re.compile(rf"{b}(?P<month>{m}){b}(?:\s*(?:de|del)?\s*{year})?", re.IGNORECASE)))
    if language == "zh":
        out.append(("zh", re.compile(rf"(?:{year}年)?(?P<month>1[0-2]|[1-9])月(?:(?P<day>[1-3]?\d)[日号])?")))
        out.append(("zhw", re.compile(r"(?:星期|周|週|礼拜)(?P<weekday>[一二三四五六日天])")))
    if days:
        d = "|".join(map(re.escape, days))
        out.append(("weekday", re.compile(rf"{b}(?P<weekday>{d}){b}", re.IGNORECASE)))
    if rel:
        out.append(("word", re.compile(rf"{b}(?P<word>{'|'.join(map(re.escape, rel))}){b}", re.IGNORECASE)))
    out.append(("year", re.compile(rf"(?<![\d,.])\b{year}(?:\b|(?=年))(?![,.]\d)")))
    return out


_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _dates(text: str, language: str) -> tuple[list[DateMention], list[tuple[int, int]]]:
    found: list[tuple[int, int, DateMention]] = []
    spans: list[tuple[int, int]] = []
    for kind, rx in _date_rxs(language):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in spans):
                continue
            g = m.groupdict()
            if kind == "word":
                mention = DateMention(m.group(0), relative=DAY_WORDS[language][g["word"].lower()], unit="day")
            elif kind in ("weekday", "zhw"):
                wd = _ZH_WEEKDAY[g["weekday"]] if kind == "zhw" else WEEKDAYS[language][g["weekday"].lower()]
                mention = DateMention(m.group(0), weekday=wd)
            else:
                month = g.get("month")
                month_no = (
                    (int(month) if kind in ("zh", "num") else MONTHS[language].get(month.lower())) if month else None
                )
                day = int(g["day"]) if g.get("day") else None
                if day is not None and not 1 <= day <= 31:
                    continue
                mention = DateMention(m.group(0).strip(), year=int(g["year"]) if g.get("year") else None,
                                      month=month_no, day=day)  # fmt: skip
            found.append((m.start(), m.end(), mention))
            spans.append((m.start(), m.end()))
    found.sort(key=lambda x: x[0])
    return [f[2] for f in found], [(f[0], f[1]) for f in found]


def dates(text: str, language: str) -> list[DateMention]:
    """Dates of a sentence in ``language``: day and month, month and year, weekdays, years,
    yesterday/today/tomorrow."""
    return _dates(text.translate(_ARABIC_DIGITS), language)[0]


def date_spans(text: str, language: str) -> list[tuple[int, int]]:
    return _dates(text.translate(_ARABIC_DIGITS), language)[1]


# ---------------------------------------------------------------- names, negation, quotations
#: languages written without capital letters: their names are read as words in Latin letters
_NO_CAPITALS = frozenset({"zh", "ja", "ko", "ar", "fa", "he", "hi", "th"})
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W\d_]+)*")
_OPENERS = set("\"'“‘„«‹(「『[—–-:")


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner hyphens and apostrophes)."""
    return _WORD.findall(text)


def name_words(text: str, language: str) -> list[str]:
    """Words that are probably names: capitalised words that do not open the sentence or follow
    an opening quotation mark (in German, not after an article and without a noun ending), and
    in Chinese, Japanese and Arabic text any word in Latin letters."""
    out: list[str] = []
    prev_word, prev_end = "", 0
    if language in _NO_CAPITALS or script(text) in ("cjk", "arabic"):
        return [m.group(0) for m in re.finditer(r"[A-Za-zÀ-ɏ]{2,}(?:[-'’][A-Za-zÀ-ɏ]+)*", text)]
    for k, m in enumerate(_WORD.finditer(text)):
        w = m.group(0)
        before = text[: m.start()].rstrip()
        opener = k == 0 or (before[-1:] in _OPENERS) or before.endswith((". ", "! ", "? "))
        prev = prev_word.lower()
        after_digit = any(ch.isdigit() for ch in text[prev_end : m.start()])
        prev_word, prev_end = w, m.end()
        if opener or not w[:1].isupper() or len(w) < 3:
            continue
        low = w.lower()
        if (
            low in MONTHS.get(language, {})
            or low in WEEKDAYS.get(language, {})
            or low in SCALES.get(language, {})
        ):
            continue
        if low in CURRENCY_WORDS or (language == "en" and (low in EN_MONTHS or low in EN_WEEKDAYS)):
            continue
        if language == "de" and (prev in _DE_DETERMINERS or after_digit or low.endswith(_DE_NOUN_ENDINGS)):
            continue
        out.append(w)
    return out


def negations(text: str, language: str) -> list[str]:
    """Negation cues of a sentence (French "ne ... pas" counts once, as "pas")."""
    cues = NEGATION.get(language)
    if not cues:
        return []
    if language == "zh":
        return [c for c in cues for _ in range(text.count(c))]
    low = text.lower().replace("’", "'")
    if language == "en":
        found = re.findall(r"\b(?:not|never|cannot)\b|n't\b", low)
        return found
    tokens = re.findall(r"[^\W\d_]+", low)
    return [t for t in tokens if t in cues]


_QUOTE_MARKS = [re.compile(r"«\s*([^«»]+?)\s*»"), re.compile(r"„([^„“”]+?)[“”]"), re.compile(r"「([^「」]+?)」"),
                re.compile(r"‹\s*([^‹›]+?)\s*›"), re.compile(r"『([^『』]+?)』")]  # fmt: skip


def quotes(text: str) -> list[str]:
    """Quotations: the language's marks (« », „ “, 「 」) and the English ones."""
    found = [m.group(1).strip() for rx in _QUOTE_MARKS for m in rx.finditer(text)]
    return found + [q for q in extract_quotes(text) if all(q not in f for f in found)]


def locale_facts(text: str, language: str) -> SentenceFacts:
    """The facts of a non-English sentence as :class:`SentenceFacts`: numbers, dates, quotations
    and names (as entities labelled ``NAME``, normalised by transliteration). Tense, modality and
    negation of verbs need a parser and are left empty; negation cues are read by
    :func:`negations`."""
    if language == "en":  # English rules (storytrace.text.mentions), without the spaCy parse
        found, spans = extract_dates(text)
        figures = tuple(extract_numbers(text, spans))
    else:
        found, spans = _dates(text.translate(_ARABIC_DIGITS), language)
        figures = tuple(numbers(text, language, spans))
    names = name_words(text, language)
    entities = tuple(Entity(w, translit(w), "NAME") for w in names if translit(w))
    return SentenceFacts(text, figures, tuple(found), tuple(quotes(text)),
                         entities, (), (), tuple(names), language)  # fmt: skip
