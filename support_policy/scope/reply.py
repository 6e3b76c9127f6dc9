"""What the customer wrote in this message, without what came with it: quoted earlier replies,
signatures, sign-offs, "sent from my phone" lines and legal disclaimers.

Scope reads only this part, so an earlier reply quoted below ("la importación de datos no está
incluida...") or a job title in a signature ("Gerente de Capacitación") cannot decide the verdict or
show up as its evidence. The request keeps its full text; this is only what is classified.

Frappe ships ``email-reply-parser`` (GitHub's), which knows English "On ... wrote:" headers, ``>``
quotes and ``--`` signatures. Customers here write from Gmail and Outlook in Spanish, so this module
knows those too: "El ... escribió:", Outlook's "De: / Enviado: / Para: / Asunto:" block (with or
without its rule of underscores), "-----Mensaje original-----", Gmail's and Outlook's HTML quote
containers, Spanish sign-offs and disclaimers. It never removes everything: when nothing would be
left (a message that is only a quote, say), the text is returned as it was.

Framework-free.
"""

from __future__ import annotations

import re

from .text import prepare

MAX_INPUT_CHARS = 60_000

# --- HTML: quote containers of the common mail clients --------------------------------------------

_HTML_QUOTE_START = re.compile(
	r"<div[^>]*class=\"[^\"]*gmail_quote[^\"]*\""  # Gmail
	r"|<div[^>]*id=\"(?:divRplyFwdMsg|appendonsend)\""  # Outlook (web and desktop)
	r"|<div[^>]*class=\"[^\"]*(?:yahoo_quoted|moz-cite-prefix)[^\"]*\""  # Yahoo, Thunderbird
	r"|<blockquote\b",
	re.I,
)
_HTML_SIGNATURE = re.compile(r"<div[^>]*class=\"[^\"]*gmail_signature[^\"]*\"", re.I)

# --- plain text -------------------------------------------------------------------------------------

# "El mar, 24 nov 2026 a las 10:12, Soporte <soporte@x.mx> escribió:" (possibly wrapped on two lines)
_WROTE = re.compile(r"^(?:el|on)\b.{4,300}?\b(?:escribi[oó]|wrote)\s*:?\s*$", re.I | re.S)
_SEPARATOR = re.compile(
	r"^\s*(?:-{2,}\s*(?:mensaje original|original message)\s*-{2,}|_{8,}|-{8,})\s*$", re.I
)
_HEADER_FIELD = re.compile(
	r"^\s*\*?(de|from|enviado(?: el)?|sent|fecha|date|para|to|cc|asunto|subject)\s*:\*?", re.I
)
_FORWARD = re.compile(r"^\s*-{2,}\s*(?:mensaje reenviado|forwarded message)\s*-{2,}\s*$", re.I)
_SIGNATURE_DELIMITER = re.compile(r"^\s*--\s*$")
_MOBILE = re.compile(
	r"^\s*(?:enviado desde mi|sent from my|obtener outlook para|get outlook for|enviado desde correo para)\b",
	re.I,
)
# A sign-off on a line of its own: what follows it is the signature.
_SIGN_OFF = re.compile(
	r"^\s*(?:saludos(?: cordiales)?|un saludo|atentamente|cordialmente|quedo (?:atent[oa]|al pendiente|"
	r"pendiente)[^.?!]{0,40}|quedamos (?:atentos|al pendiente)[^.?!]{0,40}|(?:muchas |mil )?gracias"
	r"(?: de antemano| por (?:su|tu) (?:apoyo|ayuda|atenci[oó]n))?|best regards|kind regards|regards|"
	r"thanks|thank you)\s*[,.!]?\s*$",
	re.I,
)
# Words of legal disclaimers and privacy notices; a paragraph with several of them is one.
_DISCLAIMER_OPENING = re.compile(
	r"^\s*(?:aviso de (?:confidencialidad|privacidad)|confidencialidad\s*:|confidentiality notice|"
	r"disclaimer|antes de imprimir|this e-?mail and any|este (?:correo|mensaje)(?: electr[oó]nico)? "
	r"(?:y sus anexos|y cualquier|es confidencial|puede contener|fue revisado)|la informaci[oó]n "
	r"contenida en este (?:correo|mensaje))",
	re.I,
)
_DISCLAIMER_WORDS = re.compile(
	r"confidencial|destinatario|prohibid|privacidad|datos personales|por error|el[ií]minelo|b[oó]rrelo|"
	r"virus|remitente|intended|addressee|unauthori[sz]ed|medio ambiente|derechos arco",
	re.I,
)
_QUESTION = re.compile(r"[?¿]")


def own_words(text: str | None) -> str:
	"""The customer's own words in ``text`` (HTML or plain text), as plain text."""
	if not text:
		return ""
	# Bounded work whatever arrives: the customer's words come first, and the scope engine reads
	# only the first few thousand characters of them anyway.
	raw = str(text)[:MAX_INPUT_CHARS]
	if "<" in raw and ">" in raw:
		raw = _cut_html(raw)
	plain = prepare(raw)
	if not plain:
		return ""
	lines = plain.split("\n")
	kept = _drop_quotes(lines)
	kept = _drop_signature(kept)
	kept = _drop_disclaimers(kept)
	result = "\n".join(kept).strip()
	return result or plain


def _cut_html(html: str) -> str:
	"""Everything before the first quote container (and without Gmail's signature block)."""
	match = _HTML_QUOTE_START.search(html)
	if match and html[: match.start()].strip():
		cut = html[: match.start()]
		if prepare(cut):
			html = cut
	match = _HTML_SIGNATURE.search(html)
	if match and prepare(html[: match.start()]):
		html = html[: match.start()]
	return html


def _quote_header_at(lines: list[str], i: int) -> bool:
	line = lines[i]
	if _SEPARATOR.match(line):
		return True
	joined = " ".join(lines[i : i + 2]) if i + 1 < len(lines) else line
	if len(line) < 300 and (_WROTE.match(line) or (_WROTE.match(joined) and not _WROTE.match(lines[i + 1]))):
		return True
	# Outlook without a rule: "De: ..." then, within a few lines, "Enviado: / Para: / Asunto:".
	if _HEADER_FIELD.match(line) and _HEADER_FIELD.match(line).group(1).lower() in ("de", "from"):
		following = [_HEADER_FIELD.match(other) for other in lines[i + 1 : i + 5]]
		return sum(1 for found in following if found) >= 2
	return False


def _drop_quotes(lines: list[str]) -> list[str]:
	"""Top-posted replies: cut at the first quote header. Quoted lines (``>``) go wherever they are;
	when the quote comes first (a reply written below it), what follows the quote is kept."""
	for i, line in enumerate(lines):
		if _FORWARD.match(line):
			break  # a forwarded message is what the customer asks us to read
		if _quote_header_at(lines, i):
			before = [kept for kept in lines[:i] if not kept.lstrip().startswith(">")]
			if any(_substantive(kept) for kept in before):
				return before
			after = [kept for kept in lines[i + 1 :] if not kept.lstrip().startswith(">")]
			after = [kept for kept in after if not _HEADER_FIELD.match(kept)]
			return after
	return [line for line in lines if not line.lstrip().startswith(">")]


def _drop_signature(lines: list[str]) -> list[str]:
	lines = [line for line in lines if not _MOBILE.match(line)]
	for i, line in enumerate(lines):
		if _SIGNATURE_DELIMITER.match(line) and any(_substantive(kept) for kept in lines[:i]):
			lines = lines[:i]
			break
	# The last sign-off on a line of its own, after something was said: what follows is a signature
	# (short lines: name, title, company, phone) and possibly a disclaimer.
	for i in range(len(lines) - 1, -1, -1):
		if _SIGN_OFF.match(lines[i]) and any(_substantive(kept) for kept in lines[:i]):
			tail = [line for line in lines[i + 1 :] if line.strip()]
			if all(_signature_line(line) or _disclaimer(line) for line in tail):
				return lines[:i]
			break
	return lines


def _drop_disclaimers(lines: list[str]) -> list[str]:
	"""Disclaimers close a mail: from the first one on (after something was said), nothing is the
	customer's. One inside the text (a pasted notice) is dropped alone."""
	for i, line in enumerate(lines):
		if _disclaimer(line) and any(_substantive(kept) for kept in lines[:i]):
			return lines[:i]
	return [line for line in lines if not _disclaimer(line)]


def _disclaimer(line: str) -> bool:
	if _DISCLAIMER_OPENING.match(line):
		return True
	return len(line) > 120 and len(set(m.group(0).lower() for m in _DISCLAIMER_WORDS.finditer(line))) >= 3


def _signature_line(line: str) -> bool:
	return len(line) <= 80 and not _QUESTION.search(line) and line.count(" ") <= 10


def _substantive(line: str) -> bool:
	return len(line.strip()) > 2 and not _SIGN_OFF.match(line)
