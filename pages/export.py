"""The board pack: the committee's PowerPoint deck and its printed A4 PDF, built from the same figures as the pages."""

from smartdash import formatting, ui
from smartdash.inert import st
from smartdash.views import pick

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Dossier du comité", "Board pack"), f)
st.markdown(pick(
    lang,
    "Un diaporama 16:9 prêt à présenter : page de titre, ordre du jour, synthèse des indicateurs avec leur statut, "
    "points d'attention, capitaux propres et pont, règle du 1+1 (avec sa définition), exécution du plan, effectifs, "
    "sociétariat, créances, et une annexe des sources. Les graphiques sont natifs (modifiables dans PowerPoint). "
    "Le dossier reprend les filtres de la barre latérale : entité, date des chiffres, version du plan, langue.",
    "A 16:9 deck ready to present: title, agenda, key indicators with their status, what needs attention, equity and "
    "its bridge, the 1+1 rule (with its definition), plan execution, headcount, membership, receivables, and an "
    "appendix of sources. Charts are native (editable in PowerPoint). The deck follows the sidebar filters: entity, "
    "as-of date, plan version, language."))
meetings = ui.committee_read("meetings")
choices = [None, *[int(i) for i in meetings["id"]]]
titles = {int(r.id): f"{formatting.date_long(r.held_on, lang=lang)} — {pick(lang, 'chiffres au', 'figures as of')} "
                     f"{formatting.date_long(r.as_of, lang=lang)}" for r in meetings.itertuples()}
meeting = st.selectbox(pick(lang, "Pour la réunion", "For the meeting"), choices, key="export_meeting",
                       format_func=lambda i: pick(lang, "— date de la barre latérale —", "— the sidebar's date —")
                       if i is None else titles[i])
if meeting is not None:  # the deck for a meeting uses that meeting's as-of date
    from dataclasses import replace

    f = replace(f, as_of=meetings.set_index("id").loc[meeting, "as_of"])
deck_lang = st.segmented_control(pick(lang, "Langue du dossier", "Deck language"), ["fr", "en"], default=lang,
                                 key="export_lang", format_func={"fr": "Français", "en": "English"}.get)
if st.button(pick(lang, "Préparer le dossier", "Build the deck"), type="primary", key="export_build"):
    bar = st.progress(0.0, text=pick(lang, "Préparation…", "Building…"))
    data, info = ui.build_deck(f, deck_lang or lang, lambda share, step: bar.progress(share, text=step))
    bar.empty()
    st.session_state["export_deck"] = (data, len(info.titles), info.synthetic, f.as_of, deck_lang or lang)
if "export_deck" in st.session_state:
    data, count, synthetic, as_of, deck_language = st.session_state["export_deck"]
    st.success(pick(lang, f"{count} diapositives, chiffres au {formatting.date_long(as_of, lang=lang)}.",
                    f"{count} slides, figures as of {formatting.date_long(as_of, lang=lang)}."))
    if synthetic:
        st.warning(pick(lang, "Le dossier contient des données de démonstration ; il le dit en annexe.",
                        "The deck contains demo data; its appendix says so."), icon=":material/science:")
    st.download_button(pick(lang, "Télécharger le dossier (PPTX)", "Download the deck (PPTX)"), data,
                       file_name=f"comite_{as_of:%Y-%m-%d}_{deck_language}.pptx", key="export_download",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       icon=":material/download:", on_click="ignore")

st.divider()
st.subheader(pick(lang, "Dossier imprimé (PDF A4)", "Printed pack (A4 PDF)"))
st.markdown(pick(
    lang,
    "Couverture, sommaire paginé, les mêmes sections dans le même ordre, annexe des "
    "sources et des fichiers chargés ; graphiques vectoriels, format d'archivage PDF/A. Pour une réunion close, les "
    "chiffres clés sont ceux présentés ce jour-là, suivis des corrections faites depuis.",
    "Cover, paginated contents, the same sections in the same order, an appendix of sources "
    "and loaded files; vector charts, PDF/A archival format. For a closed meeting, the key figures are those presented "
    "that day, followed by the corrections made since."))
if st.button(pick(lang, "PDF (A4)", "PDF (A4)"), key="export_pdf_build", icon=":material/picture_as_pdf:"):
    bar = st.progress(0.0, text=pick(lang, "Préparation du PDF…", "Building the PDF…"))
    pdf_data, pdf_info = ui.build_pdf(f, deck_lang or lang, meeting, lambda share, step: bar.progress(share, text=step))
    bar.empty()
    st.session_state["export_pdf"] = (pdf_data, pdf_info.titles, pdf_info.frozen_meeting, pdf_info.synthetic, f.as_of,
                                      deck_lang or lang)
if "export_pdf" in st.session_state:
    pdf_data, pdf_titles, frozen, synthetic, as_of, pdf_language = st.session_state["export_pdf"]
    st.success(pick(lang, f"PDF prêt : {len(pdf_titles)} sections, chiffres au {formatting.date_long(as_of, lang=lang)}"
                          + (" (chiffres clés figés à la réunion)." if frozen else "."),
                    f"PDF ready: {len(pdf_titles)} sections, figures as of {formatting.date_long(as_of, lang=lang)}"
                    + (" (key figures frozen at the meeting)." if frozen else ".")))
    st.download_button(pick(lang, "Télécharger le dossier (PDF)", "Download the pack (PDF)"), pdf_data,
                       file_name=f"comite_{as_of:%Y-%m-%d}_{pdf_language}.pdf", key="export_pdf_download",
                       mime="application/pdf", icon=":material/download:", on_click="ignore")
