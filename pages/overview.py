"""Overview: one tile per key indicator and entity, and what needs the committee's attention."""

from smartdash import formatting, provenance
from smartdash.i18n import _
from smartdash.inert import md, st
from smartdash.present import meetings as op_meetings
from smartdash.present import overview as op
from smartdash.views import sources_of
from smartdash.web import board, downloads, filters, session, store, widgets

session.ensure_app_frame()
SINCE_OPENED = "overview_since_opened"

f = filters.chosen()
lang = f.lang
filters.page_header(
    _(lang, "Plan overview"), f, extra=_(lang, "comparison: {compare}", compare=filters.compare_label(f.compare, lang).lower())
)
tiles, attention = store.overview(f)
if not tiles:
    widgets.empty_state(lang, _(lang, "key indicator values"))
    st.stop()
widgets.synthetic_notice(any(t.is_synthetic for t in tiles), lang)
st.table(op.key_figures_table(tiles, lang))  # the first screen, a projector's too: every key figure and its gap in €

st.header(_(lang, "Needs attention"))
if attention:
    for item in attention:
        dot = ":red[:material/error:]" if item.severity == "red" else ":orange[:material/warning:]"
        st.markdown(md(dot + " {}", op.attention_text(item, lang)))
else:
    st.success(_(lang, "Nothing to report."))

actions = board.open_actions(f.as_of)
if actions:
    st.header(_(lang, "The committee's open actions"))
    board.actions_section(actions, lang)
held = board.held_meetings(f.as_of)
if held:
    ids = [m.id for m in held]
    picked = st.session_state.get("overview_since_meeting")
    since = board.since_meeting(f, picked if picked in ids else ids[0])
    # drawn once opened: every member's login drew it closed, for nothing. Its label says the meeting and its counts,
    # so another meeting or date makes it another expander: it opens as the reader left the one before.
    section = st.expander(
        op_meetings.heading(since, lang) + " — " + op_meetings.summary_text(since, lang),
        expanded=st.session_state.get(SINCE_OPENED, False),
        icon=":material/history:",
        key="overview_since_open",
        on_change="rerun",
    )
    st.session_state[SINCE_OPENED] = section.open
    if section.open:
        with section:
            chosen = st.selectbox(
                _(lang, "Compare with the meeting"),
                ids,
                format_func={m.id: op_meetings.meeting_label(m, lang) for m in held}.get,
                key="overview_since_meeting",
                persist_state="session",
            )
            board.since_meeting_section(board.since_meeting(f, chosen), lang, heading=False)
    else:
        board.keep_since_meeting_tables(since, lang)  # the page's workbook holds them all the same

for entity_name in dict.fromkeys(t.entity_name for t in tiles):
    st.header(entity_name)
    entity_tiles = [t for t in tiles if t.entity_name == entity_name]
    columns = st.columns(3)
    for i, tile in enumerate(entity_tiles):
        with columns[i % 3], st.container(border=True):
            widgets.status_badge(tile.status, lang)
            widgets.metric(
                op.tile_label(tile, lang) + ("" if tile.trend == "—" else f" {tile.trend}"),
                formatting.value(tile.value, tile.unit, lang=lang, compact=True),
                provenance.Provenance.of([tile.is_synthetic], [tile.source]),
                delta=formatting.change(tile.change, tile.unit, lang=lang) or None,
                delta_color=tile.delta_colour,
                delta_arrow=tile.delta_arrow,
                delta_description=op.compare_text(tile, lang),
                help=formatting.value(tile.value, tile.unit, lang=lang),
            )
            st.caption(op.tile_caption(tile, lang))

widgets.sources_expander(sources_of([t.source for t in tiles]), lang, synthetic=any(t.is_synthetic for t in tiles))
downloads.page_workbook("vue_ensemble")
