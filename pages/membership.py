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
c1.metric(pick(lang, "Membres", "Members"), formatting.number(view.total_members, lang=lang), border=True)
c2.metric(pick(lang, "Sociétaires", "Shareholding members"), formatting.number(view.societaires, lang=lang), border=True)
c3.metric(pick(lang, "Membres par conseiller (médiane)", "Members per adviser (median)"),
          formatting.number(view.median_per_adviser, lang=lang), border=True)
st.caption(pick(lang, "au ", "as of ") + formatting.date_long(view.period_end, lang=lang))

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
ui.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
ui.page_workbook("societariat")
