"""Plan execution: instalments to creditors, liquidity, and the legal lines that can end the plan."""

from smartdash import charts, formatting, ui
from smartdash.inert import st
from smartdash.views import execution as xv
from smartdash.views import pick

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Exécution du plan", "Plan execution"), f)
st.caption(pick(lang, "Ce qui peut mettre fin au plan n'est pas d'abord le niveau des capitaux propres : c'est une "
                      "échéance manquée envers les créanciers ou une nouvelle cessation des paiements (L626-27, L631-1).",
                "What can end the plan first is not the level of equity: it is a missed instalment to creditors or a "
                "new cessation of payments (L626-27, L631-1)."))
entities = ui.plan_entities(f)
views = [ui.execution(f, code, name) for code, name in entities]
views = [v for v in views if not v.schedule.empty or not v.cash.empty]
if not views:
    ui.empty_state(lang, "l'échéancier du plan (formats creances_admises et echeancier)",
                   "the plan's instalments (creditor_claims and instalments formats)")
    st.stop()
ui.synthetic_notice(any(v.is_synthetic for v in views), lang)

for tab, view in zip(st.tabs([v.entity_name for v in views]), views, strict=True):
    with tab:
        c1, c2 = st.columns(2)
        c3, c4 = st.columns(2)
        with c1, st.container(border=True):
            ui.status_badge(None if view.schedule.empty else "red" if not view.late.empty else "green", lang)
            ui.metric(pick(lang, "Taux d'exécution cumulé", "Cumulative execution rate"),
                      formatting.percent(view.execution_rate * 100, lang=lang) if view.execution_rate is not None
                      else "—", view.origins["schedule"],
                      delta_description=pick(lang, "payé ÷ dû à ce jour", "paid ÷ due to date"))
        ui.metric(pick(lang, "Reste à rembourser", "Debt left to repay"), formatting.money_compact(view.debt_left,
                                                                                                   lang=lang),
                  view.origins["schedule"], where=c2, help=formatting.money(view.debt_left, lang=lang), border=True,
                  delta_description=pick(lang, f"dont échéances {f.as_of.year} : ", f"due in {f.as_of.year}: ")
                  + formatting.money_compact(view.due_this_year, lang=lang))
        with c3, st.container(border=True):
            ratio = view.latest_cessation
            ui.status_badge(None if ratio is None else "green" if ratio >= 1 else "red", lang)
            ui.metric(pick(lang, "Test de cessation des paiements", "Cessation-of-payments test"),
                      formatting.ratio(ratio, lang=lang), view.origins["cessation"],
                      delta_description=pick(lang, "(actif disponible + crédits) ÷ dettes exigibles",
                                             "(available assets + credit lines) ÷ debts due")
                      + xv.dated(view.cessation_date, f.as_of, lang))
        ui.metric(pick(lang, "Trésorerie propre", "Own cash"), formatting.money_compact(view.own_cash, lang=lang),
                  view.origins["cash"], where=c4, border=True, delta_description=pick(lang, "autonomie : ", "runway: ")
                  + (formatting.number(view.runway, lang=lang, places=1) + pick(lang, " mois", " months")
                     if view.runway is not None else pick(lang, "pas de consommation sur 3 mois", "no burn over 3 months"))
                  + xv.dated(view.cash_date, f.as_of, lang))
        st.caption(pick(lang, "Trésorerie propre = trésorerie nette − argent des activités des membres, qui n'est jamais "
                              "présenté comme celui de la coopérative.",
                        "Own cash = net cash − money of members' activities, never presented as the cooperative's."))
        for row in view.late.itertuples():
            st.error(pick(lang, f"Échéance en retard : {row.creditor}, rang {row.seq}, due le "
                                f"{formatting.date_long(row.due_date, lang=lang)} — "
                                f"{formatting.money(row.amount_due - row.amount_paid, lang=lang)} impayés, "
                                f"{row.days_late} jours de retard.",
                          f"Late instalment: {row.creditor}, no. {row.seq}, due "
                          f"{formatting.date_long(row.due_date, lang=lang)} — "
                          f"{formatting.money(row.amount_due - row.amount_paid, lang=lang)} unpaid, "
                          f"{row.days_late} days late."),
                     icon=":material/error:")
        left, right = st.columns(2)
        with left:
            if not view.by_year.empty:
                ui.plot("bars_with_target", view.by_year, x="year", unit="EUR", lang=lang, colour_by="series",
                                                 title=pick(lang, "Échéances dues et payées par année (€)",
                                                            "Instalments due and paid per year (€)"))
        with right:
            if not view.cessation.empty:
                ui.plot("trajectory_chart",
                    view.cessation.assign(series=pick(lang, "ratio", "ratio"), dashed=False), unit="ratio", lang=lang,
                    rules=[(1, pick(lang, "1,0 : en deçà, cessation des paiements", "1.0: below, cessation"),
                            charts.STATUS_COLOURS["red"])],
                    title=pick(lang, "Test de cessation des paiements (ratio)", "Cessation-of-payments test (ratio)"))
        if not view.cash.empty:
            ui.plot("trajectory_chart", view.cash, unit="EUR", lang=lang, title=pick(
                lang, "Trésorerie propre et argent des membres (€), jamais additionnés",
                "Own cash and members' money (€), never added together"))
        st.subheader(pick(lang, "Lignes légales", "Legal lines"))
        ui.table(xv.legal_table(view, lang), pick(lang, f"Lignes légales {view.entity_name}", f"Legal lines {view.entity_name}"))
        c1, c2 = st.columns(2)
        ui.metric(pick(lang, "Capitaux propres", "Equity"), formatting.money_compact(view.equity, lang=lang),
                  view.origins["equity"], where=c1, border=True,
                  delta_description=xv.dated(view.equity_date, f.as_of, lang).removeprefix(" · ") or None)
        ui.metric(pick(lang, "Quasi-fonds propres (à part)", "Quasi-equity (apart)"),
                  formatting.money_compact(view.quasi_equity, lang=lang), view.origins["quasi_equity"], where=c2,
                  border=True, delta_description=xv.dated(view.quasi_equity_date, f.as_of, lang).removeprefix(" · ")
                  or None)
        st.subheader(pick(lang, "Échéancier", "Schedule"))
        ui.table(xv.schedule_table(view, lang), pick(lang, f"Échéancier {view.entity_name}", f"Schedule {view.entity_name}"))
        ui.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
ui.page_workbook("execution_du_plan")
