"""The engine as a user meets it: short transcripts against the real content, no storage."""

from __future__ import annotations

from tests.conftest import EngineChat


def onboard(chat: EngineChat, name: str = "Musterstadt") -> None:
    chat.says(name)
    chat.says("2")  # Stadt
    chat.says("Sachsen")
    chat.says("3")  # 20.000 bis 100.000
    chat.says("2, 5 und 9")


def test_greets_in_german_and_asks_for_the_municipality(chat):
    assert "Ich bin der DAKS-Begleiter" in chat.text
    assert "Für welche Kommune arbeiten Sie?" in chat.text
    assert chat.state.mode == "step" and chat.state.step == "ob_name"


def test_onboarding_uses_the_name_and_fills_the_profile(chat):
    assert "Was für eine Kommune ist Musterstadt?" in chat.says("Musterstadt")
    assert "1) Gemeinde" in chat.text
    chat.says("stadt")  # label, any case
    assert chat.answers["ob_kind"] == "stadt"
    chat.says("13")
    assert chat.answers["ob_land"] == "sn"
    chat.says("3")
    reply = chat.says("2, 5 und 9")
    assert chat.answers["ob_fields"] == ["daseinsvorsorge", "labour", "participation"]
    assert "So gehen wir vor" in reply
    assert "Kick-Off · Frage 1 von 10" in reply


def test_out_of_range_numbers_and_unknown_labels_are_explained(chat):
    chat.says("Musterstadt")
    reply = chat.says("9")
    assert "Nummer (1 bis 5)" in reply
    assert "ob_kind" not in chat.answers
    chat.says("Großstadt am Meer")
    assert chat.state.step == "ob_kind"


def test_multi_choice_limits_are_enforced(chat):
    chat.says("Musterstadt"), chat.says("2"), chat.says("13"), chat.says("3")
    reply = chat.says("1, 2, 3, 4, 5, 6, 7")
    assert "höchstens 6" in reply
    assert "ob_fields" not in chat.answers
    chat.says("1 2")
    assert chat.answers["ob_fields"] == ["strategy", "daseinsvorsorge"]


def test_multi_choice_by_buttons_toggles_then_done(chat):
    chat.says("Musterstadt"), chat.says("2"), chat.says("13"), chat.says("3")
    chat.presses("Wohnen")
    chat.presses("Mobilität")
    chat.presses("Wohnen")  # untick
    assert "[x]" not in chat.text  # the plain renderer of EngineChat shows labels only
    assert [c.id for c in chat.replies[-1].choices if c.selected] == ["mobility"]
    chat.presses("Fertig")
    assert chat.answers["ob_fields"] == ["mobility"]


def test_lists_collect_one_bullet_per_message_and_finish_with_fertig(chat):
    onboard(chat)
    chat.says("Bürgermeisterin Beispiel")
    chat.says("Demografiebeauftragte")
    assert "Steuerungsgruppe" in chat.text
    assert "Notiert (1)" in chat.says("Sozialamt")
    assert "Notiert (3)" in chat.says("- Planungsamt\n• Jugendamt")
    assert chat.answers["ko_steering"] == ["Sozialamt", "Planungsamt", "Jugendamt"]
    chat.presses("Letzten Punkt entfernen")
    assert chat.answers["ko_steering"] == ["Sozialamt", "Planungsamt"]
    chat.says("fertig")
    assert chat.state.step == "ko_actors"


def test_a_required_list_needs_a_point_before_fertig(chat):
    onboard(chat)
    chat.says("Bürgermeisterin"), chat.says("Hauptamt")
    reply = chat.says("fertig")
    assert "mindestens 1 Punkt" in reply
    assert chat.state.step == "ko_steering"


def test_optional_questions_can_be_skipped_required_ones_not(chat):
    onboard(chat)
    reply = chat.says("/ueberspringen")
    assert "nicht übersprungen werden" in reply
    assert chat.state.step == "ko_sponsor"
    chat.says("Bürgermeisterin"), chat.says("Hauptamt")
    chat.says("Sozialamt"), chat.says("fertig")
    chat.says("Seniorenbeirat"), chat.says("fertig")
    assert chat.state.step == "ko_existing"
    chat.says("/skip")  # English name works too
    assert chat.answers["ko_existing"] is None
    assert chat.state.step == "ko_date"


def test_dates_are_read_and_shown_in_german(chat):
    onboard(chat)
    for line in ("Bürgermeisterin", "Hauptamt", "Sozialamt", "fertig", "Vereine", "fertig", "fertig"):
        chat.says(line)
    assert chat.state.step == "ko_date"
    assert "nicht als Datum lesen" in chat.says("nächsten Dienstag")
    chat.says("25.1.27")
    assert chat.answers["ko_date"] == "2027-01-25"
    chat.says("/zurueck")
    assert "25. Januar 2027" in chat.text


def test_back_goes_to_the_previous_question_and_keeps_answers(chat):
    onboard(chat)
    chat.says("Bürgermeisterin Beispiel")
    chat.says("/zurueck")
    assert chat.state.step == "ko_sponsor"
    assert "Bürgermeisterin Beispiel" in chat.text
    chat.presses("beibehalten")
    assert chat.state.step == "ko_coordinator"
    assert chat.answers["ko_sponsor"] == "Bürgermeisterin Beispiel"


def test_changing_an_earlier_answer_returns_to_the_first_open_question(chat):
    onboard(chat)
    chat.says("Bürgermeisterin"), chat.says("Hauptamt")
    chat.says("/aendern")
    chat.presses("Koordination")
    chat.says("Stabsstelle Demografie")
    assert chat.answers["ko_coordinator"] == "Stabsstelle Demografie"
    assert chat.state.step == "ko_steering"


def test_jumping_to_a_stage_notes_missing_inputs_and_falls_back(chat):
    onboard(chat)
    reply = chat.says("/phase 4")
    assert "Prioritäten aus der Zukunftswerkstatt sind noch nicht erfasst" in reply
    assert chat.state.stage == "werkstattplan"
    labels = [c.label for c in chat.replies[-1].choices if not c.id.startswith("_")]
    assert labels == [
        "Daseinsvorsorge und Nahversorgung",
        "Arbeit, Wirtschaft und Fachkräftesicherung",
        "Bürgerbeteiligung und Demokratieförderung",
    ]


def test_unknown_stage_and_unknown_command_get_a_friendly_answer(chat):
    onboard(chat)
    assert "Eine Phase „9“ gibt es nicht" in chat.says("/phase 9") or "9" in chat.text
    assert chat.state.mode == "pick_stage"
    chat.presses("Zurück zur Frage")
    reply = chat.says("/foobar")
    assert "/foobar" in reply and "/hilfe" in reply
    assert chat.state.step == "ko_sponsor"


def test_measures_are_records_with_all_fields(chat):
    onboard(chat)
    chat.says("/phase 4")
    chat.says("1")  # Handlungsfeld
    for line in ("Mehr Ärztinnen gewinnen", "Praxisbörse aufbauen", "Wirtschaftsförderung"):
        chat.says(line)
    chat.presses("Überspringen")  # partners
    chat.presses("Überspringen")  # target group
    chat.says("03/2027")
    chat.says("12/2028")
    chat.says("20.000 € aus dem Haushalt")
    chat.says("Zahl neu besetzter Praxen"), chat.presses("Überspringen"), chat.presses("Überspringen")
    chat.says("2"), chat.says("2029")
    reply = chat.presses("Fertig")
    assert "Praxisbörse aufbauen" in reply
    [measure] = chat.answers["wp_measures"]
    assert measure["field"] == "daseinsvorsorge"
    assert measure["start"] == "2027-03" and measure["end"] == "2028-12"
    assert measure["owner"] == {"name": "Wirtschaftsförderung"}
    assert [(i["name"], i["target"], i["target_date"]) for i in measure["indicators"]] == [
        ("Zahl neu besetzter Praxen", 2.0, "2029")
    ]
    chat.presses("Eintrag ändern")
    assert "Aktuelle Antwort: Daseinsvorsorge" in chat.text
    chat.presses("beibehalten")
    chat.says("Mehr Hausärztinnen gewinnen")
    assert chat.answers["wp_measures"][0]["goal"] == "Mehr Ärztinnen gewinnen"  # saved only when complete
    for _ in range(7):
        chat.presses("beibehalten") if any(c.id == "_keep" for c in chat.replies[-1].choices) else chat.presses(
            "Überspringen"
        )
    assert "1. Zahl neu besetzter Praxen: Ziel 2 bis 2029" in chat.text  # the indicators as stored, kept
    chat.presses("Fertig")
    assert chat.answers["wp_measures"][0]["goal"] == "Mehr Hausärztinnen gewinnen"
    assert chat.answers["wp_measures"][0]["uid"] == measure["uid"]
    chat.presses("löschen")
    chat.presses("Praxisbörse")
    assert chat.answers["wp_measures"] == []


def test_the_review_walks_every_measure_of_the_plan(chat):
    onboard(chat)
    chat.says("/phase 4")
    for title in ("Praxisbörse", "Bürgerbus"):
        chat.says("1"), chat.says("Ziel"), chat.says(title), chat.says("Amt 1")
        chat.presses("Überspringen"), chat.presses("Überspringen"), chat.says("2027"), chat.says("2029")
        chat.presses("Überspringen"), chat.says("Indikator"), chat.presses("Überspringen"), chat.presses("Über")
        chat.says("5"), chat.presses("Überspringen"), chat.presses("Fertig")
        if title == "Praxisbörse":
            chat.presses("hinzufügen")
    chat.presses("Fertig")
    chat.says("/phase 5")
    chat.says("01.06.2029")
    assert "„Praxisbörse“" in chat.text
    chat.says("1")  # status: done
    for _ in range(3):
        chat.presses("Überspringen")
    chat.says("1")  # decision
    assert "„Bürgerbus“" in chat.text
    chat.says("3"), chat.presses("Überspringen"), chat.says("Fahrer fehlen"), chat.presses("Überspringen")
    chat.says("3")  # decision: end it ("anpassen" would reopen it in the plan first)
    reviews = chat.answers["zb_review"]
    uids = [m["uid"] for m in chat.answers["wp_measures"]]
    assert [r["uid"] for r in reviews] == uids
    assert reviews[1]["helped"] == "Fahrer fehlen" and reviews[1]["status"] == "delayed"
    assert "✓ Praxisbörse" in chat.text and "✓ Bürgerbus" in chat.text


def test_checklist_accepts_alle_and_the_stage_ends_with_a_summary(chat):
    onboard(chat)
    for line in (
        "Bürgermeisterin",
        "Hauptamt",
        "Sozialamt",
        "fertig",
        "Vereine",
        "fertig",
        "fertig",
        "/ueberspringen",
        "hybrid",
        "Familien halten",
        "fertig",
        "/ueberspringen",
    ):
        chat.says(line)
    assert chat.state.step == "ko_done"
    reply = chat.says("alle")
    assert chat.answers["ko_done"] == ["event_held", "leadership", "steering", "record", "next_date"]
    assert "Zusammenfassung: Kick-Off" in reply
    assert "Steuerungsgruppe" in reply and "Sozialamt" in reply
    assert "5 von 5 erledigt" in reply
    chat.presses("Weiter zu Phase 2")
    assert chat.state.stage == "kommunalprofil"


def test_stale_buttons_get_an_explanation_and_the_current_question(chat):
    chat.says("Musterstadt")
    old = chat.replies[-1]
    chat.says("2")
    reply = chat._send(type(chat).__init__.__globals__["Inbound"](choice="gemeinde", turn=old.turn))
    assert "früheren Nachricht" in reply
    assert "In welchem Land liegt Musterstadt?" in reply
    assert chat.answers["ob_kind"] == "stadt"


def test_bad_input_never_loses_anything(chat):
    onboard(chat)
    chat.says("Bürgermeisterin")
    before = dict(chat.answers)
    assert "nur Text" in chat.sends_file("plan.pdf")
    assert "Zeichen" in chat.says("x" * 100_000)
    assert "Zeichen" in chat.says("y" * 3_000)  # longer than the 300 this question keeps
    assert "keinen Text erhalten" in chat.says("   ")
    assert chat.answers == before
    chat.says("Haupt\x00amt\x1b[31m <b>Team</b> **Demografie**")
    assert chat.answers["ko_coordinator"] == "Hauptamt[31m <b>Team</b> **Demografie**"


def test_progress_help_and_menu_are_always_at_hand(chat):
    onboard(chat)
    reply = chat.says("/fortschritt")
    assert "1. Kick-Off: 0 von 10 Fragen beantwortet ← Sie sind hier" in reply
    assert "Wer aus der Verwaltungsspitze" in reply  # the question follows
    reply = chat.says("/hilfe")
    assert "Rückendeckung der Spitze" in reply and "/loeschen" in reply
    chat.says("/menue")
    chat.presses("Fortschritt anzeigen")
    assert "0 von 5 Phasen abgeschlossen" in chat.text
    assert chat.state.mode == "step"


def test_export_is_markdown_with_user_text_escaped(chat):
    from bot.documents.markdown import render
    from tests.conftest import CONTENT

    onboard(chat, name="Neu-Stadt <script>")
    chat.says("# Bürgermeisterin [Link](http://example.org)")
    chat.says("/export md")
    [rendering] = [d for r in chat.replies for d in r.documents]  # the shell renders it (bot/documents)
    text = render(rendering.document, None, CONTENT / "templates").decode()
    assert rendering.file_name.endswith(".md") and rendering.media_type == "text/markdown"
    assert text.startswith("# Demografiestrategie\n\n**Neu-Stadt \\<script\\>**")
    assert "Politische Rückendeckung: \\# Bürgermeisterin \\[Link\\](http://example.org)" in text
    assert "## 5\\. Zwischenbilanz" in text


def test_delete_asks_first_and_then_forgets_everything(chat):
    onboard(chat)
    chat.says("/loeschen")
    chat.presses("Nein")
    assert "Es wurde nichts gelöscht" in chat.text and chat.answers["ob_name"] == "Musterstadt"
    chat.says("/loeschen")
    chat.presses("Ja")
    assert chat.effects == ["delete_all"]
    assert chat.answers == {} and chat.state.mode == "new"
    assert "Ich bin der DAKS-Begleiter" in chat.says("Hallo")


def test_quit_says_goodbye_and_resume_welcomes_back(chat):
    onboard(chat)
    chat.says("/ende")
    assert chat.effects == ["quit"] and "Bis bald" in chat.text
    reply = chat._send(type(chat).__init__.__globals__["Inbound"](event="resume"))
    assert "Willkommen zurück" in reply and "Wer aus der Verwaltungsspitze" in reply


def test_a_position_the_content_no_longer_has_continues_at_the_first_open_question(chat):
    onboard(chat)
    chat.says("Bürgermeisterin")
    chat.state.step = "ko_removed_in_a_new_version"
    chat.state.history.append("another_removed_step")
    reply = chat.says("Hauptamt")
    assert "überarbeitet" in reply and "Wer koordiniert den Prozess" in reply  # not taken for a lost question
    assert chat.state.step == "ko_coordinator" and "ko_coordinator" not in chat.answers
    assert "another_removed_step" not in chat.state.history
    chat.state.mode, chat.state.stage = "stage_end", "gone"
    assert "Wer koordiniert" in chat.says("/fortschritt")
    assert "Wer gehört zur Steuerungsgruppe" in chat.says("Hauptamt")


def test_switching_language_continues_at_the_same_question(chat):
    onboard(chat)
    chat.says("Bürgermeisterin")
    reply = chat.says("/langue fr")
    assert "Désormais, je vous réponds en français." in reply
    assert "Qui coordonne" in reply or "coordonn" in reply
    assert chat.state.step == "ko_coordinator" and chat.state.lang == "fr"
    chat.says("/menu")
    chat.presses("Sprache")
    reply = chat.presses("English")
    assert "From now on I will answer in English." in reply and chat.state.lang == "en"
    assert chat.answers["ko_sponsor"] == "Bürgermeisterin"
    reply = chat.says("/sprache xx")
    assert "1) Deutsch" in reply and chat.state.mode == "pick_lang"
    chat.says("1")
    assert chat.state.lang == "de" and chat.state.step == "ko_coordinator"


def test_each_stage_end_suggests_tools_with_a_reason_and_feedback_changes_them(chat):
    onboard(chat)
    for line in (
        "Bürgermeisterin",
        "Hauptamt",
        "Sozialamt",
        "fertig",
        "Vereine",
        "fertig",
        "fertig",
        "/ueberspringen",
        "hybrid",
        "Familien halten",
        "fertig",
        "/ueberspringen",
        "alle",
    ):
        chat.says(line)
    reply = chat.text
    assert "Werkzeuge, die jetzt helfen können:" in reply
    chat.presses("Passende Werkzeuge")
    assert chat.state.mode == "tools" and "Werkzeuge für die Phase Kick-Off" in chat.text
    listed = [c.id for c in chat.replies[-1].choices if c.id.startswith("t:")]
    assert len(listed) >= 3
    first = listed[0]
    chat.presses(first)
    assert chat.state.mode == "tool" and "Handlungsfelder:" in chat.text
    chat.presses("Nicht hilfreich")
    assert chat.state.feedback == {first.removeprefix("t:"): False}
    chat.presses("Zurück zur Liste")
    chat.presses("Zurück zur Frage")
    assert chat.state.mode == "stage_end"
    chat.says("/werkzeuge")
    chat.presses("Passend zu dieser Phase")
    assert first not in [c.id for c in chat.replies[-1].choices]  # not suggested again


def test_browse_the_toolbox_by_stage_field_of_action_and_kind(chat, content):
    onboard(chat)
    chat.says("/werkzeuge")
    assert chat.state.mode == "browse"
    chat.presses("Nach Handlungsfeld")
    chat.presses("Mobilität")
    ids = [c.id.removeprefix("t:") for c in chat.replies[-1].choices if c.id.startswith("t:")]
    assert ids and all("mobility" in content.toolbox[i].fields for i in ids)
    chat.presses("Zurück zur Frage")
    chat.says("/werkzeuge")
    chat.presses("Nach Art")
    chat.presses("Praxisbeispiel")
    ids = [c.id.removeprefix("t:") for c in chat.replies[-1].choices if c.id.startswith("t:")]
    assert len(ids) == 12 and all(content.toolbox[i].type == "praxisbeispiel" for i in ids)
    assert "12 von" in chat.text
    chat.presses("Zurück zur Frage")
    chat.says("/werkzeuge")
    chat.presses("Nach Phase")
    chat.presses("5. Zwischenbilanz")
    ids = [c.id.removeprefix("t:") for c in chat.replies[-1].choices if c.id.startswith("t:")]
    assert ids[0] in {i.id for i in content.toolbox.values() if i.verified}  # verified items first
    assert all("zwischenbilanz" in content.toolbox[i].stages for i in ids)
    chat.presses("Zurück zur Frage")
    assert chat.state.mode == "step" and chat.state.step == "ko_sponsor"


def test_search_finds_items_in_every_language_and_forgives_typos(chat):
    onboard(chat)
    chat.says("/suche Kick-Of")
    assert chat.state.mode == "tools"
    assert "t:kick_off" in [c.id for c in chat.replies[-1].choices]
    chat.presses("Zurück zur Frage")
    chat.says("/langue fr")
    chat.says("/chercher réunion de lancement")
    assert "t:kick_off" in [c.id for c in chat.replies[-1].choices]
    chat.presses("t:kick_off")
    assert "Réunion de lancement" in chat.text and "https://" in chat.text
    chat.presses("Plus d'outils similaires")
    assert chat.state.mode == "tools" and "t:kick_off" not in [c.id for c in chat.replies[-1].choices]
    chat.says("/chercher")
    assert "Que dois-je chercher" in chat.text
    chat.says("/chercher xqzzv")
    assert "Rien dans la boîte à outils ne correspond" in chat.text and chat.state.mode == "browse"


def test_a_partner_town_in_france_finds_the_franco_german_peer_dialogues_in_german_and_french(content):
    chat = EngineChat(content)
    onboard(chat)
    chat.says("/suche Partnerstadt Frankreich")
    assert [c.id for c in chat.replies[-1].choices][0] == "t:dfzw_peer_dialoge"
    assert "Kinderstadtplan" not in chat.text
    chat.presses("t:dfzw_peer_dialoge")
    assert "4 bis 40 Teilnehmenden, zweisprachiger Moderation und Simultandolmetschen" in chat.text
    assert "https://df-zukunftswerk.eu" in chat.text
    french = EngineChat(content, lang="fr")
    french.says("/chercher jumelage")
    assert [c.id for c in french.replies[-1].choices][0] == "t:dfzw_peer_dialoge"


def test_search_says_nothing_fits_and_offers_the_browse_menu(chat):
    onboard(chat)
    chat.says("/suche Fußballergebnisse von gestern Abend")
    assert "Nichts im Werkzeugkoffer passt zu „Fußballergebnisse von gestern Abend“" in chat.text
    assert chat.state.mode == "browse" and "Nach Phase" in chat.text
    chat.presses("Nach Phase")
    chat.presses("Kick-Off")
    assert chat.state.mode == "tools" and "t:kick_off" in [c.id for c in chat.replies[-1].choices]


def test_numbers_typed_on_a_screen_of_tick_boxes_tick_each_box(chat):
    """Regression: the newsletter's topics said "You can also type the numbers, for example “1, 3”" and then
    refused "1, 3" with "Please pick one of the options below"."""
    chat.start()
    chat.says("/newsletter")
    assert chat.replies[-1].typing_hint == "Sie können auch die Nummern schreiben, zum Beispiel „1, 3“."
    chat.says("1, 3")
    ticked = [c.label for c in chat.replies[-1].choices if c.selected]
    assert ticked == ["Demografiestrategie, Steuerung und Monitoring", "Wohnen, Leerstand und Ortsmitte"]
    chat.says("1 und 2")  # ticking again unticks: 1 off, 2 on
    ticked = [c.label for c in chat.replies[-1].choices if c.selected]
    assert ticked == ["Daseinsvorsorge und Nahversorgung", "Wohnen, Leerstand und Ortsmitte"]
    assert "Bitte wählen Sie eine der Optionen unten." in chat.says("1, 99")  # not all are boxes: nothing ticked
    assert len([c for c in chat.replies[-1].choices if c.selected]) == 2
