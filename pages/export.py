"""The board pack: the committee's PowerPoint deck and its printed A4 PDF, built from the same figures as the pages."""

from smartdash import formatting
from smartdash.export import sections
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.web import board, exports, filters, session

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(
    _(lang, "Board pack"), f, extra=_(lang, "comparison: {point}", point=filters.compare_label(f.compare, lang).lower())
)
st.markdown(
    _(
        lang,
        "A 16:9 deck ready to present: a title slide, the agenda, then its sections in this order: {sections}. Charts are "
        "native (editable in PowerPoint). The deck follows the sidebar filters: entity, as-of date, comparison point (the "
        "offices then and now), plan version, language.",
        sections=" · ".join(sections.deck_titles(lang)),  # the registry the deck and the dossier are built from
    )
)
meetings = board.meetings()
choices = [None, *[int(i) for i in meetings["id"]]]
titles = {
    int(r.id): _(
        lang,
        "{held_on} — figures as of {as_of}",
        held_on=formatting.date_long(r.held_on, lang=lang),
        as_of=formatting.date_long(r.as_of, lang=lang),
    )
    for r in meetings.itertuples()
}
meeting = st.selectbox(
    _(lang, "For the meeting"),
    choices,
    key="export_meeting",
    format_func=lambda i: _(lang, "— the sidebar's date —") if i is None else titles[i],
)
if meeting is not None:  # a meeting's pack: its as-of date, and the plan version in force then unless one is chosen
    from dataclasses import replace

    meeting_as_of = meetings.set_index("id").loc[meeting, "as_of"]
    f = replace(f, as_of=meeting_as_of, plan_version=filters.plan_version(meeting_as_of))
deck_lang = st.segmented_control(
    _(lang, "Deck language"), ["fr", "en"], default=lang, key="export_lang", format_func={"fr": "Français", "en": "English"}.get
)
if st.button(_(lang, "Build the deck"), type="primary", key="export_build"):
    bar = st.progress(0.0, text=_(lang, "Building…"))
    data, info = exports.build_deck(f, deck_lang or lang, lambda share, step: bar.progress(share, text=step))
    bar.empty()
    st.session_state["export_deck"] = (data, len(info.titles), info.synthetic, f.as_of, deck_lang or lang)
if "export_deck" in st.session_state:
    data, count, synthetic, as_of, deck_language = st.session_state["export_deck"]
    st.success(_(lang, "{count} slides, figures as of {as_of}.", count=count, as_of=formatting.date_long(as_of, lang=lang)))
    if synthetic:
        st.warning(_(lang, "The deck contains demo data; its appendix says so."), icon=":material/science:")
    st.download_button(
        _(lang, "Download the deck (PPTX)"),
        data,
        file_name=f"comite_{as_of:%Y-%m-%d}_{deck_language}.pptx",
        key="export_download",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        icon=":material/download:",
        on_click="ignore",
    )

st.divider()
st.header(_(lang, "Printed pack (A4 PDF)"))
st.markdown(
    _(
        lang,
        "Cover, paginated contents, the same sections in the same order, an appendix of sources "
        "and loaded files; vector charts, PDF/A archival format. For a closed meeting, the key figures are those presented "
        "that day, followed by the corrections made since.",
    )
)
if st.button(_(lang, "PDF (A4)"), key="export_pdf_build", icon=":material/picture_as_pdf:"):
    bar = st.progress(0.0, text=_(lang, "Building the PDF…"))
    pdf_data, pdf_info = exports.build_pdf(f, deck_lang or lang, meeting, lambda share, step: bar.progress(share, text=step))
    bar.empty()
    st.session_state["export_pdf"] = (
        pdf_data,
        pdf_info.titles,
        pdf_info.frozen_meeting,
        pdf_info.synthetic,
        f.as_of,
        deck_lang or lang,
    )
if "export_pdf" in st.session_state:
    pdf_data, pdf_titles, frozen, synthetic, as_of, pdf_language = st.session_state["export_pdf"]
    st.success(
        _(
            lang,
            "PDF ready: {n_sections} sections, figures as of {as_of} (key figures frozen at the meeting).",
            n_sections=len(pdf_titles),
            as_of=formatting.date_long(as_of, lang=lang),
        )
        if frozen
        else _(
            lang,
            "PDF ready: {n_sections} sections, figures as of {as_of}.",
            n_sections=len(pdf_titles),
            as_of=formatting.date_long(as_of, lang=lang),
        )
    )
    st.download_button(
        _(lang, "Download the pack (PDF)"),
        pdf_data,
        file_name=f"comite_{as_of:%Y-%m-%d}_{pdf_language}.pdf",
        key="export_pdf_download",
        mime="application/pdf",
        icon=":material/download:",
        on_click="ignore",
    )
