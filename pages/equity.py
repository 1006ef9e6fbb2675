"""Equity trajectory: actual against the plan's path, the bridge of a year, break-even, the pace."""

from smartdash import charts, formatting, ui
from smartdash.inert import st
from smartdash.views import equity as equity_views
from smartdash.views import pick

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Trajectoire des capitaux propres", "Equity trajectory"), f)
entities = ui.plan_entities(f)
if not entities:
    ui.empty_state(lang, "des entités", "entities")
    st.stop()

tabs = st.tabs([name for _c, name in entities])
for tab, (code, name) in zip(tabs, entities, strict=True):
    with tab:
        view = ui.equity(f, code, name)
        if view.trajectory.empty:
            ui.empty_state(lang, "les capitaux propres (indicateur EQUITY)", "equity values (indicator EQUITY)")
            continue
        ui.synthetic_notice(view.is_synthetic, lang)
        c1, c2, c3 = st.columns(3)
        year = view.latest_date
        origin = view.actual_origin
        ui.metric(pick(lang, "Capitaux propres", "Equity"), formatting.money_compact(view.latest_equity, lang=lang),
                  origin, where=c1, help=formatting.money(view.latest_equity, lang=lang), border=True)
        ui.metric(pick(lang, "Quasi-fonds propres (à part)", "Quasi-equity (kept apart)"),
                  formatting.money_compact(view.latest_quasi_equity, lang=lang), origin, where=c2, border=True,
                  help=pick(lang, "Comptes courants d'associés, titres et prêts participatifs : jamais additionnés "
                                  "aux capitaux propres.", "Shareholder current accounts, participating securities "
                                  "and loans: never added to equity."))
        if view.pace_positive_year is None:
            pace = pick(lang, "Jamais", "Never")
        elif view.latest_equity is not None and view.latest_equity >= 0:
            pace = pick(lang, "Déjà", "Already")
        else:
            pace = str(view.pace_positive_year)
        ui.metric(pick(lang, "Positifs au rythme actuel", "Positive at current pace"), pace, origin, where=c3,
                  border=True,
                  delta_description=pick(lang, "plan : ", "plan: ") + str(view.plan_positive_year or "—"),
                  help=pick(lang, "Année où les capitaux propres redeviennent positifs au rythme moyen des trois "
                                  "derniers exercices, prolongé en ligne droite.",
                            "Year equity turns positive at the average pace of the last three years, extrapolated "
                            "linearly."))
        st.caption(pick(lang, f"au 31 décembre {year}", f"as of 31 December {year}"))
        rules = [(0, pick(lang, "zéro", "zero"), charts.PLAN_COLOUR)]
        if view.half_capital is not None:
            rules.append((view.half_capital, pick(
                lang, "½ capital social (L225-248 / L223-42) — informatif sous plan (L626-3)",
                "½ share capital (L225-248 / L223-42) — informative under a plan (L626-3)"), "#7B5EA7"))
        ui.plot("trajectory_chart",
            view.trajectory, unit="EUR", lang=lang, rules=rules,
            title=pick(lang, f"Capitaux propres de {name}, réel et plan (€)", f"{name} equity, actual and plan (€)"))

        left, right = st.columns(2)
        with left:
            if view.bridge_years:
                chosen = st.selectbox(pick(lang, "Exercice du pont", "Bridge year"), view.bridge_years[::-1],
                                      key=f"equity_bridge_year_{code}")
                bridge = view.bridge(chosen)
                labels = {"opening": pick(lang, "Ouverture", "Opening"), "net_result": pick(lang, "Résultat", "Result"),
                          "capital_paid_in": pick(lang, "Capital", "Capital"),
                          "shares_repaid": pick(lang, "Parts remb.", "Shares repaid"),
                          "other": pick(lang, "Autres", "Other"), "closing": pick(lang, "Clôture", "Closing")}
                ui.plot("waterfall_chart",
                    origin.flag(equity_views.bridge_frame(bridge, labels)), lang=lang,
                    title=pick(lang, f"Pont des capitaux propres {chosen} (€)", f"Equity bridge {chosen} (€)"))
                control = bridge.control
                text = pick(lang, "Contrôle (comptabilisé − calculé) : ", "Control (booked − computed): ")
                text += formatting.money(control, lang=lang, places=2) if control is not None else "—"
                (st.success if control == 0 else st.error)(text)
                st.caption(pick(lang, "Les abandons de créances reçus entrent par le résultat (produit exceptionnel).",
                                "Claim waivers received enter through the result (exceptional income)."))
        with right:
            target_year = view.break_even_year
            ui.plot("bars_with_target",
                view.results, x="year", unit="EUR", lang=lang, colour_by="series", target=0,
                target_label=pick(lang, f"équilibre (plan : dès {target_year})", f"break-even (plan: from {target_year})")
                if target_year else pick(lang, "équilibre", "break-even"),
                title=pick(lang, "Résultat net contre l'équilibre (€)", "Net result against break-even (€)"))
        ui.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
ui.page_workbook("capitaux_propres")
