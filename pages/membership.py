"""Membership per office: members, advisers, members per adviser; trend per region; age profile."""

from smartdash import formatting, ui
from smartdash.inert import st
from smartdash.views import people, pick

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Sociétariat par bureau", "Membership per office"), f)
view = ui.membership(f)
if view.offices.empty:
    ui.empty_state(lang, "le sociétariat par bureau (format societariat)", "membership per office (membership format)")
    st.stop()
ui.synthetic_notice(view.is_synthetic, lang)

c1, c2, c3 = st.columns(3)
day = formatting.date_long(view.period_end, lang=lang)
ui.metric(pick(lang, "Membres", "Members"), formatting.number(view.total_members, lang=lang), view.offices_origin,
          where=c1, border=True, delta_description=pick(lang, "au ", "as of ") + day)
ui.metric(pick(lang, "Sociétaires", "Shareholding members"), formatting.number(view.societaires, lang=lang),
          view.societaires_origin, where=c2, border=True,
          delta_description=pick(lang, "au ", "as of ") + formatting.date_long(view.societaires_date, lang=lang)
          if view.societaires_date else None)
ui.metric(pick(lang, "Membres par conseiller", "Members per adviser"),
          formatting.number(view.median_per_adviser, lang=lang), view.offices_origin, where=c3, border=True,
          delta_description=pick(lang, "médiane des bureaux, au ", "median of the offices, as of ") + day)

ui.plot("horizontal_bars",
    people.per_adviser_frame(view), category="office", unit="count", lang=lang, highlight="stands_out",
    highlight_label=(pick(lang, "dans la norme", "typical"), pick(lang, "≥ 2 × la médiane", "≥ 2 × the median")),
    reference=view.median_per_adviser, reference_label=pick(lang, "médiane", "median"),
    title=pick(lang, "Membres par conseiller, par bureau", "Members per adviser, per office"))
ui.table(people.offices_table(view, lang), pick(lang, "Bureaux", "Offices"))

left, right = st.columns(2)
with left:
    ui.plot("trajectory_chart", people.regions_frame(view), unit="count", lang=lang,
                                     title=pick(lang, "Membres par région (personnes)", "Members per region (people)"))
with right:
    if not view.ages.empty:
        ui.plot("bars_with_target", view.ages, x="band", unit="count", lang=lang, sort=list(view.ages["band"]),
                                         title=pick(lang, "Membres par âge (personnes)", "Members by age (people)"))
        st.caption(pick(lang, "au ", "as of ") + formatting.date_long(view.ages_date, lang=lang))
if view.is_synthetic:
    st.caption(pick(lang, "Tracés pâles : valeurs démo / synthétiques ; tracés pleins : chiffres sourcés (au survol, la "
                          "source).", "Pale marks: demo / synthetic values; solid marks: sourced figures (hover for the "
                                      "source)."))
ui.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
ui.page_workbook("societariat")
