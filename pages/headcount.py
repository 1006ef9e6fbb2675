"""Headcount: staff and salaried members, headcount and FTE, entries and exits, job-protection-plan departures."""

from smartdash import formatting, ui
from smartdash.inert import st
from smartdash.views import people, pick

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Effectifs", "Headcount"), f)
entities = ui.plan_entities(f)
view = ui.headcount(f, [c for c, _n in entities])
if view.series.empty:
    ui.empty_state(lang, "des effectifs (format effectifs)", "headcount (headcount format)")
    st.stop()
ui.synthetic_notice(view.is_synthetic, lang)
st.caption(pick(lang, "Entités : ", "Entities: ") + ", ".join(n for _c, n in entities))

populations = people.population_labels(lang)
columns = st.columns(2)
for col, (population, label) in zip(columns, populations.items(), strict=True):
    latest = view.latest[view.latest["population"] == population]
    if latest.empty:
        continue
    row = latest.iloc[0]
    with col, st.container(border=True):
        ui.metric(label, formatting.number(row["headcount"], lang=lang), people.latest_origin(view, population),
                  delta_description=pick(lang, "ETP : ", "FTE: ") + formatting.number(row["fte"], lang=lang, places=1))
        att, turn = view.attrition.get(population), view.turnover.get(population)
        st.caption(pick(lang, "au ", "as of ") + formatting.date_long(row["period_end"], lang=lang)
                   + pick(lang, " · départs sur 12 mois : ", " · attrition over 12 months: ")
                   + (formatting.percent(att * 100, lang=lang) if att is not None else "—")
                   + pick(lang, " · rotation : ", " · turnover: ")
                   + (formatting.percent(turn * 100, lang=lang) if turn is not None else "—"))

for population, label in populations.items():
    ui.plot("trajectory_chart", people.headcount_lines(view, population, lang), unit="count", lang=lang, title=pick(
        lang, f"{label} : effectif et ETP (personnes)", f"{label}: headcount and FTE (people)"))
flows = people.flows_frame(view, lang)
for col, (population, label) in zip(st.columns(2), populations.items(), strict=True):
    with col:
        ui.plot("bars_with_target", flows[flows["population"] == population], x="year", unit="count", lang=lang,
                                         colour_by="series", title=pick(lang, f"{label} : entrées et sorties par année",
                                                                        f"{label}: entries and exits per year"))
if not view.pse.empty:
    ui.plot("bars_with_target", people.pse_frame(view, lang), x="month", unit="count", lang=lang, colour_by="series",
            sort=list(dict.fromkeys(people.pse_frame(view, lang)["month"])),
            title=pick(lang, "Départs du plan de sauvegarde de l'emploi, réel et plan",
                       "Job-protection-plan departures, actual and plan"))
ui.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
ui.page_workbook("effectifs")
