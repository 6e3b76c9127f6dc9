"""Spanish-aware text normalisation, a light stemmer and a tokenizer that remembers where each word
came from in the original text (so evidence can be shown to a person as the customer wrote it).

Pipeline for a text::

    NFC  ->  fold (lower case, accents removed, one output char per input char)
         ->  tokens [a-z0-9]+ with their character span in the NFC text
         ->  stem each token; drop "hard" stop words; mark "soft" words and negations

Phrases of a rule go through the same pipeline, so "importación", "importacion", "importar",
"importamos" and "importen" all become the stem ``import``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- folding -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
	decomposed = unicodedata.normalize("NFD", char.lower())
	base = "".join(c for c in decomposed if not unicodedata.combining(c))
	if len(base) == 1:
		return base
	lowered = char.lower()
	return lowered if len(lowered) == 1 else " "


def fold(text: str) -> str:
	"""Lower-case and strip accents, keeping exactly one character per character of ``text``.

	``text`` should already be NFC (see :func:`prepare`); positions in the result are positions in
	``text``, which is what lets regex and phrase evidence point back into the original.
	"""
	if text.isascii():
		return text.lower()
	return "".join(_fold_char(c) for c in text)


_TAG = re.compile(r"<(?:br|p|div|li|tr|h[1-6])\b[^>]*>|</(?:p|div|li|tr|h[1-6])>", re.I)
_ANY_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_NEWLINES = re.compile(r" ?\n[\s]*")


def prepare(text: str | None) -> str:
	"""The text a person reads: NFC, HTML (from a Text Editor field) turned into plain text."""
	if not text:
		return ""
	text = str(text)
	if "<" in text and ">" in text:
		text = _TAG.sub("\n", text)
		text = _ANY_TAG.sub(" ", text)
	if "&" in text:
		text = html.unescape(text)
	text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
	return _NEWLINES.sub("\n", _SPACES.sub(" ", text)).strip()


_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str | None) -> str:
	"""Lower case, no accents, punctuation as spaces, single spaces: ``"¿Qué  tal?" -> "que tal"``."""
	return _NON_WORD.sub(" ", fold(prepare(text))).strip()


# --- stemming ------------------------------------------------------------------------------------

# Irregular verbs whose stem changes (o->ue, e->ie, ...) and a few very common short forms.
_IRREGULAR_GROUPS = {
	"pod": "puedo puedes puede pueden podemos poder podria podrian podrias podriamos pudiera pudieran "
	"pudieras pudimos pudo pudieron",
	"quer": "quiero quieres quiere quieren queremos querer queria queriamos quisiera quisieramos "
	"quisieran quise quiso",
	"ten": "tengo tienes tiene tienen tenemos tener tenia teniamos tenian tengan tenga",
	"hac": "hacer hago haces hace hacen hacemos hizo hicieron hicimos hecho hecha hechos hechas haga "
	"hagan hagamos hicieran hiciera hagas",
	"ven": "venir vengo viene vienen venimos venga vengan vino vinieron viniera vinieran",
	"ver": "ver veo ves ve ven vemos vea vean veia veian visto vista vistas vistos vio vieron",
	"ir": "ir voy vas va van vamos vaya vayan iba iban",
	"dar": "dar doy das da dan damos dio dieron den demos dado diera dieran",
	"pon": "poner pongo pone ponen ponemos puse puso pusimos pusieron puesto puesta ponga pongan",
	"dec": "decir digo dice dicen decimos dijo dijeron diga digan dicho",
	"ped": "pedir pido pide piden pedimos pidio pidieron pida pidan pedido pedidos",
	"entend": "entender entiendo entiende entienden entendemos entendi entendio entendimos entiendan",
	"perd": "perder pierdo pierde pierden perdemos perdimos perdio perdieron perdido perdidos perdida "
	"perdidas",
	"encontr": "encontrar encuentro encuentra encuentran encontramos encontre encontro",
	"mostr": "mostrar muestro muestra muestras muestran mostramos mostro muestre muestren muestrame "
	"muestrenme muestrenos",
	"volv": "volver vuelvo vuelve vuelven volvemos volvi volvio volvimos vuelva vuelvan",
	"recomend": "recomiendo recomienda recomiendan recomiende recomienden recomendar recomendarian "
	"recomendaria",
	"prob": "probar pruebo prueba pruebas prueban probamos probe probo probado",
	"cost": "costar cuesta cuestan costo costaria costarian costos",
	"serv": "servir sirve sirven servia",
	"sal": "salir sale salen salio salieron salga salgan",
	"segu": "seguir sigue siguen seguimos siga sigan",
	"sab": "saber sabe saben sabemos sabia supimos",
	"empez": "empezar empieza empiezan empezamos empiece empiecen",
	"cerr": "cerrar cierra cierran cierre cierres cerramos",
	"conten": "contener contiene contienen",
	"manten": "mantener mantiene mantienen mantenemos mantengan",
	"acord": "acuerdo acuerda acuerdan acordar acordamos",
	"record": "recordar recuerdo recuerda recuerdan",
	"elimin": "eliminar elimine eliminen eliminamos elimino eliminado eliminados",
	"olvid": "olvido olvida olvidan",
	"mi": "mi mis",
	"tu": "tu tus",
	"su": "su sus",
	"nuestr": "nuestro nuestra nuestros nuestras",
	"usted": "usted ustedes",
}
IRREGULAR: dict[str, str] = {
	word: stem for stem, words in _IRREGULAR_GROUPS.items() for word in words.split()
}

# Noun/adjective suffixes: each also ends plurals ("-ciones", "-adores", "-ios", "-ias").
_NOUN_SUFFIXES = (
	"acion",
	"icion",
	"amiento",
	"imiento",
	"ador",
	"adora",
	"ancia",
	"anza",
	"encia",
	"idad",
	"ismo",
	"ista",
	"able",
	"ible",
	"oso",
	"osa",
	"io",
	"ia",
)
# Verb endings (Spanish) and a few English inflections.
_VERB_SUFFIXES = (
	"ariamos",
	"eriamos",
	"iriamos",
	"ieramos",
	"aramos",
	"abamos",
	"aremos",
	"eremos",
	"iremos",
	"asteis",
	"isteis",
	"iaron",
	"ieron",
	"iendo",
	"yendo",
	"iando",
	"ando",
	"aron",
	"aran",
	"eran",
	"iran",
	"aria",
	"eria",
	"iria",
	"arian",
	"erian",
	"irian",
	"aban",
	"abas",
	"ados",
	"adas",
	"idos",
	"idas",
	"iamos",
	"amos",
	"emos",
	"imos",
	"aste",
	"iste",
	"mente",
	"ado",
	"ada",
	"ido",
	"ida",
	"aba",
	"ara",
	"era",
	"ira",
	"ian",
	"ien",
	"ar",
	"er",
	"ir",
	"as",
	"es",
	"os",
	"an",
	"en",
	"ie",
	"a",
	"e",
	"o",
	"s",
	# English
	"ations",
	"ation",
	"ings",
	"ing",
	"ied",
	"ies",
	"ed",
)


def _all_suffixes() -> tuple[str, ...]:
	suffixes = set(_VERB_SUFFIXES)
	for suffix in _NOUN_SUFFIXES:
		suffixes.add(suffix)
		suffixes.add(suffix + ("es" if suffix[-1] not in "aeiou" else "s"))
	return tuple(sorted(suffixes, key=lambda s: (-len(s), s)))


SUFFIXES = _all_suffixes()
MIN_STEM = 3

# Enclitic pronouns on infinitives, gerunds and imperatives: "importarlos", "restaurenla",
# "ayudenme", "mostrandonos".
_CLITIC = re.compile(
	r"^(.{3,}?(?:ar|er|ir|ando|iendo|en|an))(?:selos|selas|selo|sela|nos|los|las|lo|la|les|le|me|se)$"
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
	"""A light stemmer for folded (lower-case, accent-free) Spanish and English words.

	It only has to be consistent: the same stem for the usual plural, gender and verb-ending variants
	of a word, so that rule phrases match them. It is not a linguistic root.
	"""
	if word in IRREGULAR:
		return IRREGULAR[word]
	if len(word) <= 3 or not word.isalpha():
		return word
	clitic = _CLITIC.match(word)
	if clitic and clitic.group(1) not in IRREGULAR and len(word) >= 7:
		word = clitic.group(1)
		if word in IRREGULAR:
			return IRREGULAR[word]
	for suffix in SUFFIXES:
		if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
			word = word[: -len(suffix)]
			break
	# "cambi-", "copi-", "envi-" (from -iar verbs) -> "camb-", "cop-", "env-".
	if len(word) >= 4 and word.endswith("i"):
		word = word[:-1]
	# Spelling changes before e: busque/buscar, pague/pagar, actualice/actualizar.
	if word.endswith("qu"):
		word = word[:-2] + "c"
	elif word.endswith("gu") and len(word) > 3:
		word = word[:-1]
	if word.endswith("z"):
		word = word[:-1] + "c"
	return word


# --- stop words ----------------------------------------------------------------------------------

# Small words. In a request they are kept as "soft" tokens: a phrase skips them ("importar datos"
# matches "importar los datos") unless it asks for one with "=" ("=un =reporte" is a new report,
# "el reporte" an existing one). In a phrase they are dropped unless written "=word".
HARD_STOPWORDS = frozenset(
	"""
	a al ante con de del e el en la las le les lo los o para por que se te u un una unos unas uno y
	me es son ser sea sean fue esta este estos estas esto ese esa esos esas eso aqui ahi alli ya muy
	mas pero pues porque si tambien asi hay habia han ha he hemos sido estar estamos estan estoy
	hola buenas buenos buen dia dias tardes noches gracias favor porfa porfavor oye saludos
	the an of to for in on at and or are were be been being it its that these those there please
	hi hello thanks thank just so do did am by from with as would could should will
	q k xq pq porq x pa
	""".split()
)
# (Chat abbreviations: "q"/"k" = que, "xq"/"pq"/"porq" = porque, "x" = por, "pa" = para.)
# Pronouns and possessives: soft in a request too, but a phrase keeps them ("nuestras
# instalaciones" must not match "nos instaló").
SOFT_STOPWORDS = frozenset(
	stem(w)
	for w in "nos mi tu su nuestro usted yo ellos ella alguien our my your we i you us they them their".split()
)
NEGATIONS = frozenset("no ni nunca nada sin not never without nor".split())
# "no queremos que ...", "no tenemos personalizaciones", "we don't need ..."
NEGATION_VERBS = frozenset(
	[stem(w) for w in "quer necesit ped busc want need ask pretend have".split()]
	+ ["quer", "ped", "necesit", "ten"]
)
# Negations whose scope reaches past a few "bridge" words: "no quiero que restauren", "no hace falta
# que vengan", "no es necesario", "no es tema de facturación", "no se trata de", "no les pedimos".
# ("nada", "sin" and "ni" only negate the word right after them.)
STRONG_NEGATIONS = frozenset("no nunca not never".split())
# Verbs and nouns of wanting, needing, asking, "volver a", "tratarse de", "ser tema de": between a
# strong negation and a phrase they keep the phrase negated ("no queremos volver a importar").
NEGATION_BRIDGES = frozenset(
	stem(w)
	for w in (
		"quiero queremos necesitamos necesita necesario necesaria pedimos pidiendo pide buscamos "
		"solicitamos solicitando requerimos requiere requiero pretendemos deseamos interesa "
		"volver vuelvan trata tratarse tema asunto falta want wanting need needs needing ask asking "
		"asked require requesting request looking expect ocupo ocupamos ocupa"
	).split()
) | frozenset(["quer", "ped", "pid", "necesit", "neces", "necesar", "volv", "falt"])
# Light verbs that only bridge as part of a fixed expression: "hace falta", "dar de alta".
NEGATION_LIGHT_VERBS = {"hac": "falt", "dar": "de"}
# Wanting/needing bridges after which one more verb may stand before the phrase:
# "no necesitamos tocar el flujo", "no queremos que cambien el formato".
NEGATION_WANTING = frozenset(
	stem(w)
	for w in (
		"quiero necesitamos pedimos pidiendo buscamos solicitamos requerimos pretendemos ocupo ocupamos want "
		"need ask"
	).split()
) | frozenset(["quer", "ped", "pid", "necesit", "neces", "necesar", "falt", "volv"])
# Small words that end a negation's scope ("no es urgente, pero restauren ...").
NEGATION_BREAKS = frozenset("pero but y and".split())
# Words introducing a subordinate verb ("que", chat "q"/"k").
THAT_WORDS = frozenset("que q k that".split())

# English contractions: "don't", "can't" are folded to "don t", "can t".
_CONTRACTION_HEADS = frozenset("don can doesn didn won isn aren couldn wouldn haven wasn shouldn".split())


def stem_word(word: str) -> str:
	"""The stem of one folded word, or "" for a hard stop word."""
	if word in HARD_STOPWORDS:
		return ""
	return stem(word)


# --- tokens --------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"[!?;\n¿¡]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[,:()]")


@dataclass(frozen=True, slots=True)
class Token:
	stem: str
	word: str  # the folded word, for phrase words written "=word" (exact form)
	start: int  # span in the prepared (NFC) text
	end: int
	sentence: int
	soft: bool
	negation: bool
	clause: int = 0  # sentences and comma/colon-separated parts, counted from 0


def tokenize(text: str) -> list[Token]:
	"""Tokens of a prepared text (see :func:`prepare`); small words are marked soft."""
	if not text:
		return []
	folded = fold(text)
	boundaries = [m.start() for m in _SENTENCE_END.finditer(folded)]
	clause_marks = [m.start() for m in _CLAUSE_END.finditer(folded)]
	tokens: list[Token] = []
	sentence = 0
	clause = 0
	b = 0
	c = 0
	previous_word = ""
	for match in _WORD.finditer(folded):
		start = match.start()
		while b < len(boundaries) and boundaries[b] < start:
			sentence += 1
			clause += 1
			b += 1
		while c < len(clause_marks) and clause_marks[c] < start:
			clause += 1
			c += 1
		word = match.group()
		if word == "t" and previous_word in _CONTRACTION_HEADS:
			word = "not"
		previous_word = word
		if word in HARD_STOPWORDS:
			# No stem: a small word is only matched by a phrase that asks for it as "=word".
			tokens.append(Token("", word, start, match.end(), sentence, True, False, clause))
			continue
		stemmed = stem(word)
		tokens.append(
			Token(
				stemmed,
				word,
				start,
				match.end(),
				sentence,
				stemmed in SOFT_STOPWORDS,
				stemmed in NEGATIONS,
				clause,
			)
		)
	return tokens


GAP = "*"
EXACT = "="


def phrase_stems(phrase: str) -> tuple[str, ...]:
	"""A rule phrase as a sequence of keys: stems; ``*`` (up to three other words); and ``=word`` for
	a word written ``=word`` in the phrase, which must appear in exactly that form (case and accents
	still ignored): "=puse" matches "puse" but not "poner" or "pusieron"."""
	out: list[str] = []
	previous_word = ""
	for piece in phrase.split():
		if piece == GAP:
			if out and out[-1] != GAP:
				out.append(GAP)
			continue
		exact = piece.startswith(EXACT)
		for word in _WORD.findall(fold(unicodedata.normalize("NFC", piece))):
			if word == "t" and previous_word in _CONTRACTION_HEADS:
				word = "not"
			previous_word = word
			if exact:
				out.append(EXACT + word)
				continue
			stemmed = stem_word(word)
			if stemmed:
				out.append(stemmed)
	while out and out[-1] == GAP:
		out.pop()
	while out and out[0] == GAP:
		out.pop(0)
	return tuple(out)
