"""The guard's one vocabulary: what a click, a switch or a URL may not read as, and the
normalisation every text goes through first. Pure text, no browser: the engine's guard reads
the page (engine/guard.py), and the flow loader refuses a URL that reads as sign-out, delete
or pay before anything runs (`url_denial`).

Normalisation (`normalise`) takes away what lets a word look right to a person and wrong to a
pattern: compatibility forms (fullwidth "Ｄｅｌｅｔｅ", ligatures, mathematical letters:
Unicode NFKD), combining marks ("De\u0301lete", and with them the umlauts: "löschen" is
matched as "loschen"), format characters (zero-width spaces and joiners, soft hyphens,
bidirectional overrides and isolates: category Cf), lookalike letters from other scripts
(Cyrillic "е" in "Dеlete": the table in confusables.tsv), and case (casefold: "ß" is "ss").
The vocabulary below is written in that folded form.

The vocabulary is word stems, not exact words (`delet\\w*` is delete, deleted, deletion),
each matched at the start of a word, in English and German (the languages of the bundled
flows), in five categories: destructive, sign-out, money, social, and consent ("Accept all
cookies": a cookie banner gets the most private answer, or none). URLs are judged by the
first three (`in_urls`): a path reads "posts" or "messaging" on ordinary pages, but never
"logout" on one worth opening. A dialog's close button (`CLOSE`) includes a cookie banner's
"Reject all" and "Only necessary cookies".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources


@functools.cache
def _confusables() -> dict[int, str]:
    table: dict[int, str] = {}
    text = resources.files("optout_bot.base").joinpath("confusables.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("U+"):
            point, latin, _name = line.split("\t", 2)
            table[int(point[2:], 16)] = latin
    return table


def _dropped(ch: str) -> bool:
    # Combining marks (Mn, Mc, Me) and format characters (Cf: U+00AD, U+200B-F, U+202A-E,
    # U+2060-4, U+2066-9, U+FEFF, ...).
    return unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


def normalise(text: str) -> str:
    """`text` as the vocabulary is written: compatibility forms, marks, format characters and
    lookalikes folded away, case folded, runs of whitespace one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not _dropped(ch)).translate(_confusables())
    text = unicodedata.normalize("NFKC", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


#: A few words between the parts of a phrase ("close your LinkedIn account").
_GAP = r"\W+(?:\w+\W+){0,3}?"


@dataclass(frozen=True)
class Category:
    key: str
    #: completes "'<word>' reads as ..."
    reads_as: str
    #: whether a URL is judged by it too
    in_urls: bool
    stems: tuple[str, ...]

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + "|".join(self.stems) + r")(?!\w)")


VOCABULARY: tuple[Category, ...] = (
    Category(
        "destructive",
        "a destructive action",
        True,
        (
            r"delet\w*",
            r"remov\w*",
            r"deactivat\w*",
            r"hibernat\w*",
            r"eras(?:e|es|ed|ing)",
            r"destroy\w*",
            r"disconnect\w*",
            r"unsubscri\w*",
            rf"(?:close|closing|terminat\w*|cancel\w*|permanently|end){_GAP}"
            r"(?:accounts?|membership\w*|subscriptions?|profiles?)",
            r"accounts?\W+(?:clos\w*|delet\w*|terminat\w*)",
            # German: löschen, gelöscht, Löschung; entfernen; deaktivieren; kündigen; auflösen
            r"(?:ge)?losch\w*",
            r"entfern\w*",
            r"deaktivier\w*",
            r"(?:ge)?kundig\w*",
            r"auflos\w*",
            rf"(?:konto|account|profil|mitgliedschaft)\w*{_GAP}"
            r"(?:schliess\w*|geschlossen|dauerhaft|endgultig)",
            rf"(?:schliess\w*|dauerhaft|endgultig){_GAP}(?:konto|account|profil|mitgliedschaft)\w*",
        ),
    ),
    Category(
        "sign-out",
        "signing out",
        True,
        (
            r"sign\W*(?:out|off)\w*",
            r"log\W*(?:out|off)\w*",
            r"logged\W*out",
            # German: ausloggen, ausgeloggt, abmelden, abgemeldet
            r"auslogg\w*",
            r"ausgeloggt",
            r"abmeld\w*",
            r"abgemeldet",
        ),
    ),
    Category(
        "money",
        "a purchase or payment",
        True,
        (
            r"buy\w*",
            r"bought",
            r"purchas\w*",
            r"check\W*out",
            r"pay|pays|paid|paying|payments?",
            rf"place{_GAP}orders?|order\W+now",
            r"subscri\w*",
            r"upgrad\w*",
            r"try\W+(?:\w+\W+)?(?:premium|now|free|for\W+free)",
            r"(?:start\W+(?:\w+\W+)?)?free\W+trial",
            r"donat\w*",
            r"add\W+to\W+(?:cart|basket|bag)",
            # German: kaufen, gekauft, bestellen, (be)zahlen, Zahlung, Abo, spenden
            r"(?:ein|ge)?kauf\w*",
            r"bestell\w*",
            r"bezahl\w*",
            r"zahlung\w*",
            r"kostenpflichtig\w*",
            r"abonnier\w*",
            r"abonnement\w*",
            r"abos?",
            rf"premium{_GAP}(?:testen|gratis|kostenlos)",
            r"jetzt\W+(?:testen|kaufen)",
            r"spende\w*",
        ),
    ),
    Category(
        "social",
        "a social action",
        False,
        (
            r"(?:re)?post(?:s|ed|ing)?",
            r"send\w*",
            r"sent",
            r"messages?",
            r"publish\w*",
            r"shar(?:e|es|ed|ing)",
            r"comment\w*",
            r"lik(?:e|es|ed|ing)",
            r"connect(?:s|ed|ing)?",
            r"(?:un)?follow\w*",
            r"invit\w*",
            r"endors\w*",
            r"accept\w*",
            r"(?:un)?block\w*",
            r"report\w*",
            r"repl(?:y|ies|ied|ying)",
            r"appl(?:y|ies|ied|ying)",
            r"react(?:s|ed|ing|ions?)?",
            r"recommend\w*",
            # German: posten, Beitrag, senden, Nachricht, teilen, kommentieren, vernetzen,
            # folgen, einladen, annehmen, blockieren, melden, antworten, "Gefällt mir"
            r"post(?:en|e|est|et)",
            r"gepostet",
            r"beitrag\w*",
            r"(?:ver|ab)?send\w*",
            r"gesendet",
            r"nachricht\w*",
            r"veroffentlich\w*",
            r"teil(?:en|e|t|st)",
            r"geteilt",
            r"kommenti\w*",
            r"kommentar\w*",
            r"vernetz\w*",
            r"(?:ent)?folg(?:en|e|t|st)",
            r"gefolgt",
            r"einlad\w*",
            r"eingeladen",
            r"annehm\w*",
            r"angenommen",
            r"(?:ent)?blockier\w*",
            r"melden",
            r"gemeldet",
            r"(?:be)?antwort\w*",
            r"gefallt\W+mir",
            r"reagier\w*",
            r"bewerb\w*",
            r"empfehl\w*",
        ),
    ),
)


CONSENT = Category(
    "consent",
    "giving away consent (cookies, tracking)",
    False,
    (
        rf"accept\w*{_GAP}(?:all|cookies?|tracking)",
        r"allow\W+all(?:\W+cookies)?",
        r"agree\W+to\W+all",
        r"(?:i\W+)?agree\W+and\W+(?:continue|proceed)",
        # German: alle akzeptieren, alle zulassen, allen zustimmen
        r"alle\w*\W+(?:akzeptier\w*|zulass\w*|annehm\w*)",
        r"allen\W+zustimm\w*",
        r"akzeptier\w*",
    ),
)
# Before the social words: "Accept all cookies" is consent given away, more than a social act.
VOCABULARY = (*VOCABULARY[:3], CONSENT, *VOCABULARY[3:])


@dataclass(frozen=True)
class Denial:
    #: the words that matched, as normalised
    word: str
    category: Category


def denial(text: str, *, urls: bool = False, social: bool = True) -> Denial | None:
    """What makes `text` (already `normalise`d) unsafe to act on, if anything; with `urls`,
    only the categories a URL is judged by; without `social`, all but the social words."""
    for category in VOCABULARY:
        if (urls and not category.in_urls) or (not social and category.key == "social"):
            continue
        found = category.pattern.search(text)
        if found:
            return Denial(found.group(0), category)
    return None


#: How a dialog's close button is named (normalised): the one button of a dialog a flow may
#: click without saying why.
CLOSE = re.compile(
    r"(?:close|dismiss|cancel|not\W+now|no\W+thanks|skip|maybe\W+later|schliessen|abbrechen"
    r"|nicht\W+jetzt|nein\W+danke|spater|uberspringen|x|×|✕|✖"
    # A cookie banner's most private answer: reject (refuse, decline) what is not essential.
    r"|(?:reject|refuse|decline|deny)(?:\W+(?:all|optional|non\W*essential|additional))*"
    r"(?:\W+cookies)?|(?:use\W+)?(?:only\W+)?(?:necessary|essential)\W+cookies\W+only"
    r"|only\W+(?:necessary|essential)(?:\W+cookies)?"
    r"|(?:alle\W+)?ablehnen|nur\W+(?:notwendige|erforderliche)(?:\W+cookies)?(?:\W+zulassen)?)"
    r"(?!\w)"
)


def url_denial(url: str) -> Denial | None:
    """What makes opening `url` unsafe (sign-out, delete, pay, ...), if anything. The path
    and query are read as words ("m/logout" -> "m logout", "deleteAccount" -> "delete
    account") with the vocabulary, less its social words (ordinary pages are at /posts/ and
    /messaging/)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    text = unquote(f"{parts.path} {parts.query}")
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    return denial(re.sub(r"[\W_]+", " ", normalise(text)), urls=True)


def closes(name: str) -> bool:
    """Whether a button named `name` (already `normalise`d) reads as closing what it is in."""
    return CLOSE.match(name) is not None
