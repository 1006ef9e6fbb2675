"""Headcount: staff and salaried members, headcount and FTE, entries and exits, job-protection-plan departures."""

from smartdash import charts, formatting
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.present import chart_specs
from smartdash.present import compared as cp
from smartdash.present import people as people_text
from smartdash.views import people
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(_(lang, "Headcount"), f)
entities = store.plan_entities(f)
view = store.headcount(f, [c for c, _n in entities])
if view.series.empty:
    widgets.empty_state(lang, _(lang, "headcount (headcount format)"))
    st.stop()
widgets.synthetic_notice(view.is_synthetic, lang)
st.caption(_(lang, "Entities: {names}", names=", ".join(n for _c, n in entities)))

populations = people_text.population_labels(lang)
columns = st.columns(2)
for col, (population, label) in zip(columns, populations.items(), strict=True):
    latest = view.latest[view.latest["population"] == population]
    if latest.empty:
        continue
    row = latest.iloc[0]
    with col, st.container(border=True):
        compared = view.compared.get(population)
        widgets.metric(
            label,
            formatting.number(row["headcount"], lang=lang),
            people.latest_origin(view, population),
            delta=cp.change_text(compared, "count", lang),
            delta_color=cp.change_colour(compared, direction=""),  # more or fewer people is neither good nor bad
            delta_arrow=cp.change_arrow(compared),
            delta_description=cp.basis_text(compared, lang),
        )
        att, turn = view.attrition.get(population), view.turnover.get(population)
        st.caption(
            _(
                lang,
                "FTE: {fte} · as of {day} · attrition over 12 months: {attrition} · turnover: {turnover}",
                fte=formatting.number(row["fte"], lang=lang, places=1),
                day=formatting.date_long(row["period_end"], lang=lang),
                attrition=formatting.percent(att * 100, lang=lang) if att is not None else "—",
                turnover=formatting.percent(turn * 100, lang=lang) if turn is not None else "—",
            )
        )

headcount = chart_specs.HEADCOUNT  # the deck and the dossier draw the same declaration
for population in populations:
    shown = chart_specs.HeadcountShown(view, population)
    widgets.spec_plot(headcount, shown, lang)
flows = people_text.flows_frame(view, lang)
for col, (population, label) in zip(st.columns(2), populations.items(), strict=True):
    with col:
        widgets.plot(
            charts.bars_with_target,
            flows[flows["population"] == population],
            x="year",
            unit="count",
            lang=lang,
            colour_by="series",
            title=_(lang, "{label}: entries and exits per year", label=label),
        )
if not view.pse.empty:
    widgets.plot(
        charts.bars_with_target,
        people_text.pse_frame(view, lang),
        x="month",
        unit="count",
        lang=lang,
        colour_by="series",
        sort=list(dict.fromkeys(people_text.pse_frame(view, lang)["month"])),
        title=_(lang, "Job-protection-plan departures, actual and plan"),
    )
widgets.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
downloads.page_workbook("effectifs")
