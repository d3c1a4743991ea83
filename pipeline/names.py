"""People's names in text that must never name anyone (gallery cases), as pure functions.

A name is recognised by what a reader would take as one, not by any capitalised word:

- a title before a capitalised word: "Mrs. Alvarez", "Dr Chen", "Ms Nguyen" (any surname);
- a possessive of a first or last name: "Jane's forehead", "Alvarez's results";
- a first name followed by a last name: "Grace Kim";
- a capitalised first name that is not also an ordinary word: "Jane", "Priya" (anywhere, at the
  start of a sentence too). Names that are ordinary words ("Grace", "May", "Mark", "Will",
  "Summer", "Hope", "Joy") count only with one of the cues above;
- in a file or folder name (no capitals to go by): a first or last name that is not an ordinary
  word, between separators: ``jane-doe-front.jpg``.

The names are the first and last names Faker ships for the languages of most US patients
(English, Spanish, Portuguese, French, Italian, German, Polish, Dutch, Vietnamese, Indian
English): maintained, pinned lists drawn from national name statistics (the US Social Security
Administration's baby names for ``en_US``). ``ORDINARY`` is every one of them that is also an
everyday English word (the intersection with a dictionary word list, less names that are
mostly names: "John", "Jack", "Bob"), plus treatment brands, medical eponyms, months, days
and seasons, so ordinary case text passes.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.text_dates import fold

# Faker locales whose person providers hold Latin-script first and last names.
LOCALES = (
    "en",
    "en_US",
    "en_GB",
    "en_IE",
    "en_NZ",
    "en_IN",
    "es_MX",
    "es_ES",
    "es_CO",
    "fr_FR",
    "fr_CA",
    "it_IT",
    "pt_BR",
    "de_DE",
    "vi_VN",
    "pl_PL",
    "nl_NL",
)
FIRST_NAME_LISTS = ("first_names", "first_names_female", "first_names_male", "first_names_nonbinary")

# Titles before a name ("Miss" only before a known name: "Don't Miss Out" is no one).
HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "mister",
        "missus",
        "dr",
        "prof",
        "madam",
        "madame",
        "mme",
        "mlle",
        "mademoiselle",
        "monsieur",
        "senor",
        "senora",
        "senorita",
        "sra",
        "srta",
        "dna",
        "dona",
        "herr",
        "frau",
    }
)

# Everyday English words that are also first or last names (Faker's lists, above, intersected with
# Debian's "wamerican" word list, less names that are mostly names).
_ORDINARY_WORDS = """
abbey ace add admiral ah albino ale aline ally almond alpha alto amber angel angelic ante arch archer aria art
aspen atlas august aura author autumn babe baby baker banks baptist barb baron basil beau bee bell belle berry
beryl bill bird birdie bishop blanch blaze bliss blossom bode bonny boss bowman brain branch brandy brogan brook
brooks brown buck bud buddy bunk burns burr bush buster butch butler caddie cadence cal cam candy cannon canyon
cap caprice captain carmine carry case cash celesta champ chance chancy chandler charity chase chastity cherish
cherry chi chin china chip christen chuck cinnamon clay cleave clement cliff collie collier colon colonel colt
commodore con cooper coral cord corona council coy creed crystal curt dahlia daisy dale dawn deacon dean deforest
dell delta derrick destiny diamond dimple dink dirk doc dock doctor doll dolly dot dotty dove drake drew duff duke
dusty earl early earnest ebb ebony echo eddy edit eider elder ell else ember emerald emery emir emit era ermine
essence ester eta ether ever fairy faith fanny fate fawn fed felicity feline fem fern fielding finis fisher fleet
flint floor flora ford forest forum foster fount franc frank freeman french friend fuller gage gala gale garland
garner garnet garret garrison gauge gay gee gene general genesis genie ginger glen golden gorge governor grace
grant graves gray green griffin grit grove gunner gurney gust guy hale hall ham handy harden hardy harm harmony
harsh hart haven hays hazel heath heather heaven hence herb hill holly homer hope hung hunt hunter hymen icy infant
iris ivory ivy jade jarred jasmine jasper jet jewel job journey joy judge junior justice kale karma kick king kit
kitty lacy laddie lady lance lane lark lassie laurel lawyer lea leafy leaner lemma lemon less levy liberty lily
linden link lisle little lone long lope lore lot love loyal lucky luster lute lyric mace madden major male manly
manning mar mare margarita marina marine mark marlin marquis marquise marry marsh marshal mart marten marvel mason
mat math mats maverick max maxim may mayo meadow media melody mercy merrily merry messiah meta metro miles miller
mills miner minor miracle misty moody myrtle nacho narcissus newt newton noble noel north nova novella octave olive
opal oral orange ova page paisley pansy park parley pastor pate patience pearl pearly peer penny pepper phoenix
pier pierce pink pinkie piper pleas pleasant poppy porter precious press price prince princess prosper prudence
puck purl queen ransom raven ray reason red redden reed rhea rice rich ridge river roan robin rock rocky rod roe
roll romaine roman rose rosemary rosy royal ruby rush rusty sable sage saint sander sanders sandy savanna savannah
sawyer scarlet senna serenity serge shad shade shepherd sherry sibyl sierra silver sim sincere sing sister skip
sky smith sol sole son sonny spring squire star starling sterling steward stone stonewall stoney storm stormy
summer sunny sunshine sylvan tab tad talon tanner tawny tea theta tiara ties till tiny toy trace treasure trinity
true tucker turner unique unknown unnamed urban valentine van veer velvet vernal vi victory villa viola violet viva
wade walker ward warren wash watt weaver wellington wells west wheeler whit wilder will willow windy wing winter
wolf wolfram wood woody worth wright young zeta
abate agate amble arenas arias arroyo arts auger backer bail bale ball barber barker barman barrio barrios barrows
bass bassi basso bates bath bean beard beck beer bender berg best bigot bins birch black block blot bodkin boles
bond boner bones bonnet boon booth borer bourgeois bowers bowler brands bravo bray brewer brick bridge bridges
bright browning brunet bull bullock burrows butcher butte cairn cairns camps canals canning canny cant carpenter
carrier carton cases chamberlain chambers champagne char church clear cocci colas comas combs comer company
contractor convey cook corral cotter courtier cousin cousins cox crane craven craw crooks cross cruise cumming
curry dare dash date davenport day deep din divan diver divine downing downs dries drub drum dunning dyer emo fair
fall fanning farina farmer fee ferry field fields finch flood flowers font foot forget fox freely fresh frost fry
funk gamble gates gentry gibbon gibbons gill glass glasses glazier good gore gravel grey grimes gross guard gunning
hand hare haring hasty hawthorn hay hearty herd heron herring hickey hicks hills ho hoes holder honing hood hook
horn house huff hull junk keeling key kidney killer knight lad lam lamas lamb law lawless leach leech lees lips
lira llamas llano llanos looney lopes lord low lucid lynch madrigal mall mallet mane mans mantilla mares marks
martens martins mas master mate mayoral meadows merchant merino mesa millet moan moles moll monk monks moon more
morrow moss mountain nary oak orchard pace pages pal palazzo pall palomino pant parent parks parry parsons peacock
peck petty pi pike pinto plaza plover pol polo pope post potter potters pottier power powers priest proctor
provost quill rafter rails raja ram rattan ravel read reader real reeves richer riddle ring rivers roach room rout
ruddy rust sager sales salmon salvo sandal sane sans savage savant scullion sears sellers sexton shah sharp shields
shine short silk sims singleton sire sitters small smart smit snow soprano sparks spears spies stack stark steed
steer stein stokes storey story stout street strong summers sunder supple swift swords tailor tank thatcher tins
tromp tron vial vigil wall walls ware warmer warrior waters watts way weeks weir welch white wills winters wise
witting woods wren yogi amigo ascension barer begin cabanas canton carrion cote dung falcon hovel lower magnolia
maxima nee pare sacristan tome toner torrent torrents yen
"""
# Months, days, seasons; languages; treatment and device brands; medical eponyms.
_TERMS = """
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday spring summer autumn fall winter christmas easter
english spanish french italian german portuguese vietnamese
alma candela juliet venus versa soprano silk clear aurora genesis halo legacy
fitzpatrick glogau raynaud tyndall cupid adam
"""
ORDINARY = frozenset((_ORDINARY_WORDS + _TERMS).split())
# Possessives that are not a person's: anatomy, conditions and days named after someone.
EPONYMS = re.compile(
    r"\b(?:adam['’]s\s+apple|cupid['’]s\s+bow|crow['’]s[\s-]+feet|bell['’]s\s+palsy|graves['’]?\s+disease"
    r"|lambert[-\s]eaton|raynaud['’]s|parkinson['’]s|alzheimer['’]s|crohn['’]s|cushing['’]s|hashimoto['’]s|addison['’]s"
    r"|christmas\s+eve|new\s+year['’]s\s+eve|(?:st\.?|saint)\s+\w+['’]s\s+day|valentine['’]s|mother['’]s\s+day|father['’]s\s+day|new\s+year['’]s)",
    re.I,
)
# Never a person's possessive ("Summer's heat", "May's specials").
_CALENDAR = frozenset(_TERMS.split()[: _TERMS.split().index("english")])

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass(frozen=True)
class NameHit:
    text: str  # what was found, as written
    why: str  # "after a title", "a possessive", "a first and last name", "a first name", "a name"


def plain(word: str) -> str:
    """Casefolded, without accents: "José" -> "jose"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names), plain (see :func:`plain`), from Faker's person providers."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr, into in [(a, first) for a in FIRST_NAME_LISTS] + [("last_names", last)]:
            names = vars(provider).get(attr)
            if isinstance(names, (list, tuple, dict, set, frozenset)):
                into.update(plain(n) for n in names if _TOKEN.fullmatch(n) and len(n) > 1)
    return frozenset(first), frozenset(last)


def _capitalised(word: str, shouting: bool = False) -> bool:
    """ "Jane": capitalised. "IPL" is an acronym, unless the whole text is in capitals."""
    return word[:1].isupper() and (shouting or not word.isupper())


def _base(word: str) -> str:
    """The word without a possessive ending: "Jane's" -> "Jane", "James'" -> "James"."""
    if len(word) > 3 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    if len(word) > 3 and word[-1] in "'’":
        return word[:-1]
    return word


def find_names(text: str, allowed: Iterable[str] = ()) -> list[NameHit]:
    """People's names in prose (a title, a description, alt text, a label), in order."""
    first, last = name_lists()
    ordinary = ORDINARY | {plain(w) for a in allowed for w in _TOKEN.findall(a)}
    text = EPONYMS.sub(lambda m: " " * len(m.group(0)), fold(text))
    tokens = list(_TOKEN.finditer(text))
    shouting = not any(c.islower() for c in text)
    capitalised = functools.partial(_capitalised, shouting=shouting)
    hits: list[NameHit] = []
    taken = -1
    for index, match in enumerate(tokens):
        if match.start() < taken:
            continue
        word = match.group(0)
        base = _base(word)
        key = plain(base)
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        between = text[previous.end() : match.start()] if previous else ""
        adjoining = following is not None and text[match.end() : following.start()].strip() == ""
        title = (
            previous is not None and plain(previous.group(0)) in HONORIFICS and capitalised(previous.group(0))
        )
        hit = None
        if (
            title
            and re.fullmatch(r"\.?\s+", between)
            and capitalised(word)
            and (plain(previous.group(0)) != "miss" or key in first or key in last)
        ):
            hit = NameHit(text[previous.start() : match.end()], "after a title")
        elif (
            capitalised(word)
            and base != word
            and key not in _CALENDAR
            and (key in first or (key in last and key not in ordinary))
        ):
            hit = NameHit(word, "a possessive")
        elif (
            capitalised(word)
            and key in first
            and adjoining
            and capitalised(following.group(0))
            and plain(_base(following.group(0))) in last - ordinary
        ):
            hit = NameHit(text[match.start() : following.end()], "a first and last name")
            taken = following.end()
        elif capitalised(word) and (key in first or key in last) and key not in ordinary:
            hit = NameHit(word, "a first name" if key in first else "a name")
        for part in word.split("-") if hit is None and "-" in word else ():
            if capitalised(part) and plain(part) in first and plain(part) not in ordinary:
                hit = NameHit(word, "a first name")
        if hit is not None:
            hits.append(hit)
    return hits


_NAME_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[^\W\d_]+")


def find_names_in_file_name(name: str, allowed: Iterable[str] = ()) -> list[NameHit]:
    """Names in a file or folder name: ``jane-doe-front.jpg``, ``JaneDoe_before.heic``."""
    first, last = name_lists()
    ordinary = ORDINARY | {plain(w) for a in allowed for w in _TOKEN.findall(a)}
    stem = fold(name).rsplit(".", 1)[0] if "." in name[1:] else fold(name)
    hits = []
    for chunk in re.split(r"[\W_\d]+", stem):
        parts = [chunk, *_NAME_PART.findall(chunk)] if chunk else []
        for part in dict.fromkeys(parts):
            key = plain(part)
            if len(key) > 2 and (key in first or key in last) and key not in ordinary:
                hits.append(NameHit(part, "a first name" if key in first else "a name"))
                break
    return hits
