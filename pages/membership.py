"""Membership per office: members, advisers, members per adviser; trend per region; age profile."""

from smartdash import charts, formatting
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.present import annual as ap
from smartdash.present import chart_specs
from smartdash.present import people as people_text
from smartdash.views import people
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(_(lang, "Membership per office"), f)
view = store.membership(f)
if view.offices.empty:
    widgets.empty_state(lang, _(lang, "membership per office (membership format)"))
    st.stop()
widgets.synthetic_notice(view.is_synthetic, lang)

c1, c2, c3 = st.columns(3)
day = formatting.date_long(view.period_end, lang=lang)
change = store.offices_change(f)
total_then = people.total_then(change)
widgets.metric(
    _(lang, "Members"),
    formatting.number(view.total_members, lang=lang),
    view.offices_origin,
    where=c1,
    border=True,
    delta=formatting.change(view.total_members - total_then, "count", lang=lang) if total_then is not None else None,
    delta_color="normal" if total_then is not None and view.total_members != total_then else "gray",
    delta_description=people_text.since_text(change, lang) or _(lang, "as of {day}", day=day),
)
widgets.metric(
    _(lang, "Shareholding members"),
    formatting.number(view.societaires, lang=lang),
    view.societaires_origin,
    where=c2,
    border=True,
    delta_description=_(lang, "as of {day}", day=formatting.date_long(view.societaires_date, lang=lang))
    if view.societaires_date
    else None,
)
widgets.metric(
    _(lang, "Members per adviser"),
    formatting.number(view.median_per_adviser, lang=lang),
    view.offices_origin,
    where=c3,
    border=True,
    # the short date: not cut in a third of a projector's width
    delta_description=_(lang, "median of the offices, as of {day}", day=formatting.date_short(view.period_end)),
)

st.header(people_text.offices_change_title(change, lang))
st.markdown(people_text.offices_losing_text(change, lang))
widgets.table(people_text.offices_change_table(change, lang), _(lang, "Offices then and now"))

widgets.spec_plot(chart_specs.MEMBERS_PER_ADVISER, view, lang)
widgets.table(people_text.offices_table(view, lang), _(lang, "Offices"))

left, right = st.columns(2)
with left:
    widgets.plot(
        charts.trajectory_chart, people.regions_frame(view), unit="count", lang=lang, title=_(lang, "Members per region (people)")
    )
with right:
    if not view.ages.empty:
        ages = people_text.ages_labelled(view, lang)
        widgets.plot(
            charts.bars_with_target,
            ages,
            x="band",
            unit="count",
            lang=lang,
            sort=list(ages["band"]),
            title=_(lang, "Members by age (people)"),
        )
        st.caption(_(lang, "as of {day}", day=formatting.date_long(view.ages_date, lang=lang)))
if view.is_synthetic:
    st.caption(_(lang, "Pale marks: demo / synthetic values; solid marks: sourced figures (hover for the source)."))
# the annual report's other figures (income statement, cash and debts, activity), read nowhere else
annual = store.annual_figures(f.as_of, f.entity)
for figures in annual:
    st.header(ap.annual_title(figures, lang))
    widgets.table(ap.annual_table(figures, lang), ap.annual_title(figures, lang))
sources = sorted(set(view.sources) | {s for a in annual for s in a.origin.sources})
widgets.sources_expander(sources, lang, synthetic=view.is_synthetic or any(a.origin.synthetic for a in annual))
downloads.page_workbook("societariat")
