"""Vietnamese text: one normalization for stored and typed text, and Vietnamese ordering.

`fold` is applied both to what is stored for search and to what a user types, so that
"dang uy xa tan an" finds "Đảng ủy xã Tân An" and "d" matches "đ".

`sort_key` orders the way a Vietnamese dictionary does: by letter in the Vietnamese
alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), then by tone
(none, huyền, hỏi, ngã, sắc, nặng). ICU's "vi" collation does the same, but PyICU needs
a compiled libicu; this small table needs nothing. Keys are strings of digits, so they
sort identically under any database collation and can be stored and indexed.
"""

import re
import unicodedata

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: index + 20 for index, letter in enumerate(_ALPHABET)}
_SPACES = re.compile(r"\s+")
_TOKENS = re.compile(r"\d+|.", re.DOTALL)


def fold(text: str | None) -> str:
    """Lowercase, without tone or letter marks, đ → d, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def _split(ch: str) -> tuple[str, int]:
    """A lowercase character → (letter with its letter marks, tone rank)."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    letter_marks = ""
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            letter_marks += mark
    return unicodedata.normalize("NFC", base + letter_marks), tone


def sort_key(text: str | None) -> str:
    """A digit string that orders `text` the Vietnamese way (letters first, then tones).

    Runs of digits compare as numbers ("Chi bộ số 2" before "Chi bộ số 10").
    """
    if not text:
        return ""
    letters: list[str] = []
    tones: list[str] = []
    for token in _TOKENS.findall(_SPACES.sub(" ", text.strip().lower())):
        if token.isdigit():
            number = token.lstrip("0") or "0"
            letters.append(f"11{len(number):02d}{number}")
            continue
        letter, tone = _split(token)
        if letter == " ":
            rank = 10
        elif letter in _LETTER_RANK:
            rank = _LETTER_RANK[letter]
        else:
            rank = 60 + ord(letter[0]) % 39
        letters.append(f"{rank:02d}")
        tones.append(str(tone))
    return "".join(letters) + "0" + "".join(tones)


def person_sort_key(full_name: str | None) -> str:
    """Vietnamese order for people: given name, then middle and family name."""
    words = (full_name or "").split()
    if not words:
        return ""
    return "0".join(sort_key(word) for word in [words[-1], *words[:-1]])


# Words that staff use for one another in organization names, folded. Each group is one
# word for search: "Đảng ủy xã Thiện Tân" finds "Đảng bộ xã Thiện Tân", "tp Lạng Sơn" finds
# "Thành phố Lạng Sơn". A dotted abbreviation ("p.", "x.") stands only for its full word.
SYNONYMS = (
    ("dang bo", "dang uy"),
    ("chi bo", "chi uy"),
    ("thanh pho", "tp"),
    ("thi xa", "tx"),
    ("thi tran", "tt"),
    ("phuong", "p."),
    ("xa", "x."),
    ("quan", "q."),
    ("huyen", "h."),
)
_SYNONYM_OF = {phrase: group for group in SYNONYMS for phrase in group}
_LONGEST_SYNONYM = max(len(phrase.split()) for phrase in _SYNONYM_OF)
_DOTTED = re.compile(r"(?<![\w.])(tp|tx|tt|[pxqh])\.\s*")


def search_terms(text: str | None) -> list[tuple[str, ...]]:
    """What a user typed, folded, as terms that must all match: each term is its
    alternatives (a word or a phrase; several for a synonym, SYNONYMS).

    "Đảng ủy xã Thiện Tân" → [("dang bo", "dang uy"), ("xa", "x."), ("thien",), ("tan",)].
    """
    words = _DOTTED.sub(lambda m: f"{m.group(1)}. ", fold(text)).split()
    terms: list[tuple[str, ...]] = []
    index = 0
    while index < len(words):
        for size in range(min(_LONGEST_SYNONYM, len(words) - index), 0, -1):
            phrase = " ".join(words[index : index + size])
            group = _SYNONYM_OF.get(phrase) or _SYNONYM_OF.get(phrase.rstrip("."))
            if group:
                # "p." is only "phường"; "phường" is also written "p.".
                dotted = phrase.endswith(".") and phrase in _SYNONYM_OF
                terms.append((group[0],) if dotted else group)
                index += size
                break
        else:
            terms.append((words[index].rstrip("."),) if words[index] != "." else ())
            index += 1
    return [term for term in terms if term]


# ---------------------------------------------------------------- typed and imported text

# Characters no name, number or note needs, which break documents or hide what is shown:
# control characters (U+0007 bell, U+001B escape, U+000B vertical tab … make a DOCX
# refuse the whole file), format characters (U+200B zero-width space, U+202E right-to-left
# override, U+FEFF …: invisible, or reversing what the reader sees), line and paragraph
# separators, surrogates, private use, and the noncharacters U+FFFE and U+FFFF.
# Tab, line feed and carriage return stay (notes have lines).
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _is_hidden(ch: str) -> bool:
    if ch in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES or ch in "\ufffe\uffff"


def hidden_characters(text: str) -> list[str]:
    """The characters of `text` that input refuses, each once, in order of appearance."""
    if text.isprintable():  # C speed: no control, format or separator character at all
        return []
    found: list[str] = []
    for ch in text:
        if _is_hidden(ch) and ch not in found:
            found.append(ch)
    return found


def codepoints(characters: list[str]) -> str:
    """U+0007, U+202E: how the refused characters are named to the user."""
    return ", ".join(f"U+{ord(ch):04X}" for ch in characters)


def input_text(text: str) -> str:
    """Text as it is kept: Unicode NFC (one code point per Vietnamese letter, however it
    was typed), without hidden characters (see `hidden_characters`). Imports use this;
    forms refuse hidden characters instead, with a message beside the field."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # the common case, at C speed (a sheet has millions of cells)
        return text
    return "".join(ch for ch in text if not _is_hidden(ch))
