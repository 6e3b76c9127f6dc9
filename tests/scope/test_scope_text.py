"""Normalisation, stemming and tokens."""

import pytest

from support_policy.scope import normalize, stem
from support_policy.scope.text import fold, phrase_stems, prepare, stem_word, tokenize


def stems(words: str) -> set[str]:
	return {stem_word(fold(w)) for w in words.split()}


def test_normalize_lowercases_strips_accents_and_punctuation():
	assert normalize("¿Qué  PASÓ con la Importación?!") == "que paso con la importacion"
	assert normalize("Año, niño; pingüino...") == "ano nino pinguino"
	assert normalize("") == "" and normalize(None) == ""


def test_fold_keeps_positions():
	text = prepare("Restauración de ÓRDENES")
	assert len(fold(text)) == len(text)
	assert fold(text) == "restauracion de ordenes"


def test_prepare_turns_html_into_text():
	assert prepare("<p>Hola&nbsp;<b>mundo</b></p><p>adiós &amp; gracias</p>") == "Hola mundo\nadiós & gracias"


@pytest.mark.parametrize(
	"group",
	[
		"importación importacion importar importamos importen importaciones importado importarlos importó",
		"respaldo respaldos respaldar respaldamos respaldaron",
		"restaurar restauren restauración restaurado restaure restaurenla",
		"actualizar actualización actualicen actualizaron actualice actualizamos actualizarlo",
		"configuración configurar configuré configuramos configurado configuraciones",
		"capacitación capacitar capacitaciones capaciten",
		"cambiar cambio cambié cambiamos cambien cambió cambios",
		"usuario usuarios",
		"migrar migración migramos migren migrado",
		"contraseña contraseñas",
		"personalizado personalizada personalizar personalización",
		"visita visitar visitas visiten",
		"buscar busque busco",
		"pagar pague pago pagos",
		"puedo puede pueden podemos podría",
		"olvidé olvidó olvidar olvidamos",
		"upgrade upgraded upgrading upgrades",
		"restore restored restoring restores",
		"import imports imported importing",
	],
)
def test_variants_share_a_stem(group):
	assert len(stems(group)) == 1, stems(group)


def test_different_words_keep_different_stems():
	assert stem("importar") != stem("exportar")
	assert stem("respaldo") != stem("restaurar")
	assert stem("sitio") != stem("situacion")


def test_phrase_stems_drop_small_words_and_keep_exact_and_gap_marks():
	assert phrase_stems("Importar los datos") == ("import", "dat")
	assert phrase_stems("importar * desde Excel") == ("import", "*", "desd", "excel")
	assert phrase_stems("=un =reporte") == ("=un", "=reporte")
	assert phrase_stems("* importar *") == ("import",)


def test_tokens_point_into_the_original_text():
	text = prepare("¿Pueden IMPORTAR nuestras Órdenes?")
	tokens = tokenize(text)
	assert [text[t.start : t.end] for t in tokens] == ["Pueden", "IMPORTAR", "nuestras", "Órdenes"]
	assert [t.stem for t in tokens][:2] == ["pod", "import"]


def test_tokens_mark_small_words_negations_and_sentences():
	tokens = tokenize(prepare("No queremos que nos lo programen. We don't need it"))
	by_word = {t.word: t for t in tokens}
	assert by_word["no"].negation and by_word["not"].negation
	assert by_word["que"].soft and by_word["nos"].soft and not by_word["programen"].soft
	assert by_word["programen"].sentence == 0 and by_word["need"].sentence == 1
