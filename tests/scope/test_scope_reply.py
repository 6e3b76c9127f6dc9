"""Scope reads only what the customer wrote in this message (support_policy.scope.reply)."""

from support_policy.scope import OUT_OF_SCOPE, classify
from support_policy.scope.reply import own_words

ASK = "¿Me pueden confirmar que el respaldo de anoche terminó bien?"
EARLIER = "Le recordamos que la importación de datos y la capacitación no están incluidas en su plan."


def test_gmail_text_reply_keeps_only_the_new_message():
	mail = f"Hola,\n\n{ASK}\n\nEl mar, 24 nov 2026 a las 10:12, Soporte <soporte@x.mx> escribió:\n> {EARLIER}"
	assert own_words(mail) == f"Hola,\n{ASK}"


def test_english_header_wrapped_on_two_lines():
	mail = f"{ASK}\n\nOn Tue, Nov 24, 2026 at 10:12 AM Soporte ERPNext\n<soporte@x.mx> wrote:\n> {EARLIER}"
	assert own_words(mail) == ASK


def test_outlook_header_with_and_without_its_rule():
	header = "De: Soporte <soporte@x.mx>\nEnviado: martes, 24 de noviembre de 2026 10:12\nPara: compras@c.mx\nAsunto: Respaldo\n\n"
	for rule in ("________________________________\n", "-----Mensaje original-----\n", ""):
		assert own_words(f"{ASK}\n\n{rule}{header}{EARLIER}") == ASK, rule


def test_gmail_and_outlook_html_quotes():
	gmail = (
		f'<div dir="ltr"><div>{ASK}</div></div><br><div class="gmail_quote"><div dir="ltr" '
		f'class="gmail_attr">El mar, 24 nov 2026 a las 10:12, Soporte escribió:<br></div>'
		f'<blockquote class="gmail_quote"><div>{EARLIER}</div></blockquote></div>'
	)
	outlook = (
		f'<div>{ASK}</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>De:</b> Soporte'
		f"<br><b>Enviado:</b> martes<br><b>Asunto:</b> Respaldo</div><div><p>{EARLIER}</p></div>"
	)
	assert own_words(gmail) == ASK
	assert own_words(outlook) == ASK


def test_signature_after_a_sign_off_and_a_disclaimer_go():
	mail = (
		f"Buenas tardes,\n\n{ASK}\n\nSaludos,\nJorge Ávila\nGerente de Capacitación y Desarrollo\n"
		"Servicios Integrales Ávila\nTel. 222 555 0101\n\nAVISO DE CONFIDENCIALIDAD: Este correo y sus anexos "
		"son confidenciales. Si usted no es el destinatario, queda prohibida su distribución o copia."
	)
	assert own_words(mail) == f"Buenas tardes,\n{ASK}"


def test_signature_delimiter_and_phone_lines():
	mail = f"{ASK}\n-- \nAna Medina\nConsultoría y Diseño Medina S.C.\n\nEnviado desde mi iPhone"
	assert own_words(mail) == ASK


def test_a_disclaimer_without_an_opening_phrase_is_recognised_by_its_words():
	notice = (
		"La presente comunicación es confidencial y para uso del destinatario. Si la recibió por error, "
		"bórrelo y avise al remitente; está prohibida su distribución."
	)
	assert own_words(f"{ASK}\n\n{notice}") == ASK


def test_a_reply_written_below_the_quote_is_kept():
	mail = f"El mar, 24 nov 2026 a las 10:12, Soporte <soporte@x.mx> escribió:\n> {EARLIER}\n\n{ASK}"
	assert own_words(mail) == ASK


def test_a_forwarded_message_is_read():
	mail = f"Les reenvío lo que nos pidió el contador.\n\n---------- Mensaje reenviado ---------\n{ASK}"
	assert ASK in own_words(mail)


def test_plain_requests_are_left_alone():
	for text in (
		ASK,
		"No puedo entrar.\nSale error 502 desde la mañana.\nGracias",
		"Necesitamos importar 4,000 artículos desde Excel",
		"El sistema no abre, lo que escribió mi compañero en el otro ticket sigue pasando",
	):
		assert own_words(text).replace("\nGracias", "") == text.replace("\nGracias", "")


def test_a_message_that_is_only_a_quote_is_read_whole():
	mail = f"> {EARLIER}"
	assert own_words(mail) == mail


def test_the_verdict_and_its_evidence_come_from_this_message_only():
	mail = f"{ASK}\n\nEl mar, 24 nov 2026 a las 10:12, Soporte <soporte@x.mx> escribió:\n> {EARLIER}"
	result = classify("RE: Respaldo", mail)
	assert result.verdict != OUT_OF_SCOPE
	assert result.category == "backup"
	assert not any("import" in word.lower() or "capacita" in word.lower() for word in result.evidence)


def test_a_huge_text_is_read_from_its_beginning_and_bounded():
	from support_policy.scope.reply import MAX_INPUT_CHARS

	words = own_words(ASK + "\n" + "palabra " * 200_000)
	assert words.startswith(ASK)
	assert len(words) <= MAX_INPUT_CHARS
