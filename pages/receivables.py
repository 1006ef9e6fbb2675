"""Receivables: ageing at the as-of date, trend, DSO, overdue ratio, reminders, offices, largest overdue clients."""

from smartdash import formatting, ui
from smartdash.inert import st
from smartdash.views import pick
from smartdash.views import receivables as rv

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Créances clients", "Receivables"), f)
available = ui.reference()["receivable_entities"]
names = ui.entity_names()
choices = [e for e in available if f.entity in (None, e)]
if not choices:
    ui.empty_state(lang, "des créances ouvertes (format creances)", "open receivables (receivables format)")
    st.stop()
entity = st.selectbox(pick(lang, "Entité", "Entity"), choices, format_func=names.get, key="receivables_entity") \
    if len(choices) > 1 else choices[0]
view = ui.receivables(entity, f.as_of, lang)
if view.as_of is None:
    ui.empty_state(lang, "des créances ouvertes à cette date", "open receivables at that date")
    st.stop()
ui.synthetic_notice(view.is_synthetic, lang)

c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
ui.metric(pick(lang, "Encours ouvert", "Open"), formatting.money_compact(view.total, lang=lang), view.origin, where=c1,
          help=formatting.money(view.total, lang=lang, places=2), border=True)
ui.metric(pick(lang, "dont échu", "of which past due"), formatting.money_compact(view.overdue, lang=lang), view.origin,
          where=c2, help=formatting.money(view.overdue, lang=lang, places=2), border=True,
          delta_description=pick(lang, "taux d'échu : ", "overdue ratio: ")
          + (formatting.percent(view.overdue_ratio * 100, lang=lang) if view.overdue_ratio is not None else "—"))
ui.metric(pick(lang, "Échu à plus de 90 jours", "Over 90 days past due"),
          formatting.percent(view.share_over_90 * 100, lang=lang) if view.share_over_90 is not None else "—",
          view.origin, where=c3, border=True)
rule = view.rule
ui.metric("DSO", formatting.value(view.dso_days, "days", lang=lang) if view.dso_days is not None else "—",
          view.dso_origin, where=c4, border=True,
          delta_description=pick(lang, "référence légale : ", "legal reference: ") + pick(lang, rule.short_fr,
                                                                                           rule.short_en),
          help=pick(lang, "Créances ÷ ventes TTC des 12 derniers mois × jours de la période",
                    "Receivables ÷ sales incl. VAT over the last 12 months × days in the period")
          + (f" ({formatting.date_short(view.dso_period[0])} – {formatting.date_short(view.dso_period[1])})."
             if view.dso_period else "."))
st.caption(pick(lang, f"{names[entity]} · situation du ", f"{names[entity]} · snapshot of ")
           + formatting.date_long(view.as_of, lang=lang))
if not view.references.empty:
    st.subheader(pick(lang, f"Chiffres publiés pour {view.as_of.year}", f"Figures published for {view.as_of.year}"))
    ui.table(rv.references_table(view, lang), pick(lang, "Chiffres publiés", "Published figures"))

order = list(view.buckets["label"])
left, right = st.columns(2)
with left:
    ui.plot("ageing_bars", rv.ageing_frame(view), lang=lang, order=order,
            title=pick(lang, "Encours par ancienneté (€ TTC)", "Open amount by age (€)"))
with right:
    ui.plot("stacked_area", view.trend, x="as_of", colour="label", unit="EUR", lang=lang, order=order,
            title=pick(lang, "Évolution de l'encours (€ TTC)", "Open amount over time (€)"))
if not view.dso_trend.empty:
    ui.plot("trajectory_chart", rv.dso_lines(view, lang), unit="days", lang=lang, rules=rv.dso_rules(view, lang),
            title=pick(lang, "DSO par situation, contre le délai légal de paiement (jours)",
                       "DSO per snapshot, against the legal payment term (days)"))
    st.caption(pick(lang, rule.text_fr, rule.text_en) + pick(
        lang, " DSO = créances ÷ ventes TTC des 12 mois précédents × jours de la période.",
        " DSO = receivables ÷ sales incl. VAT over the previous 12 months × days in the period."))
if not view.by_office.empty:
    ui.plot("stacked_bars", view.by_office, category="office_name", colour="label", unit="EUR", lang=lang,
            order=order, title=pick(lang, "Encours par bureau et ancienneté (€ TTC)",
                                    "Open amount per office and age (€)"))
if not view.reminders.empty:
    ui.plot("bars_with_target", view.reminders, x="year", unit="count", lang=lang,
            title=pick(lang, "Rappels de factures impayées envoyés (nombre)",
                       "Unpaid-invoice reminders sent (number)"))

st.subheader(pick(lang, "Clients les plus en retard", "Largest overdue clients"))
if ui.current_user().can("see_clients"):
    ui.table(rv.clients_table(ui.largest_overdue_clients(entity, view.as_of), view.as_of, lang),
             pick(lang, "Clients les plus en retard", "Largest overdue clients"))
else:
    st.info(pick(lang, "Les noms des clients sont réservés à la direction et aux administrateurs.",
                 "Client names are for directors and administrators only."), icon=":material/lock:")
ui.sources_expander(rv.page_sources(view), lang, synthetic=view.is_synthetic)
ui.page_workbook("creances")
