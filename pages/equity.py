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
        plan_text = (pick(lang, f"plan {f.plan_version} fin {year} : ", f"plan {f.plan_version} end {year}: ")
                     + formatting.money_compact(view.plan_at_latest, lang=lang)) if view.plan_at_latest is not None \
            else None
        ui.metric(pick(lang, "Capitaux propres", "Equity"), formatting.money_compact(view.latest_equity, lang=lang),
                  origin, where=c1, help=formatting.money(view.latest_equity, lang=lang), border=True,
                  delta_description=plan_text)
        ui.metric(pick(lang, "Quasi-fonds propres (à part)", "Quasi-equity (kept apart)"),
                  formatting.money_compact(view.latest_quasi_equity, lang=lang), origin, where=c2, border=True,
                  help=pick(lang, "Comptes courants d'associés, titres et prêts participatifs : jamais additionnés "
                                  "aux capitaux propres.", "Shareholder current accounts, participating securities "
                                  "and loans: never added to equity."))
        ui.metric(pick(lang, "Positifs au rythme actuel", "Positive at current pace"), view.pace_label(lang), origin,
                  where=c3, border=True,
                  delta_description=pick(lang, "trajectoire du plan : ", "plan path: ") + view.plan_positive_label(lang),
                  help=pick(lang, "Année où les capitaux propres redeviennent positifs au rythme moyen des trois "
                                  f"derniers exercices, prolongé en ligne droite ; au-delà de la fin du plan "
                                  f"({view.plan_end_year}), l'année n'est pas donnée.",
                            "Year equity turns positive at the average pace of the last three years, extrapolated "
                            f"linearly; beyond the plan's end ({view.plan_end_year}) no year is given."))
        st.caption(pick(lang, f"au 31 décembre {year}", f"as of 31 December {year}"))
        rules = [(0, pick(lang, "zéro", "zero"), charts.PLAN_COLOUR)]
        if view.half_capital is not None:  # French law only
            rules.append((view.half_capital, pick(
                lang, "½ capital social (L225-248 / L223-42) — informatif sous plan (L626-3)",
                "½ share capital (L225-248 / L223-42) — informative under a plan (L626-3)"), "#7B5EA7"))
        ui.plot("trajectory_chart",
            view.trajectory, unit="EUR", lang=lang, rules=rules,
            title=pick(lang, f"Capitaux propres de {name}, réel et plan (€)", f"{name} equity, actual and plan (€)"))

        # full width, one under the other: a bridge can have eight steps, and each label must stay readable
        if view.bridge_years:
            chosen = st.columns([1, 3])[0].selectbox(pick(lang, "Exercice du pont", "Bridge year"),
                                                     view.bridge_years[::-1], key=f"equity_bridge_year_{code}")
            bridge = view.bridge(chosen)
            ui.plot("waterfall_chart",
                origin.flag(equity_views.bridge_frame(bridge, equity_views.bridge_labels(bridge, lang))), lang=lang,
                title=pick(lang, f"Pont des capitaux propres {chosen} (€)", f"Equity bridge {chosen} (€)"))
            control = bridge.control
            text = pick(lang, "Contrôle (comptabilisé − calculé) : ", "Control (booked − computed): ")
            text += formatting.money(control, lang=lang, places=2) if control is not None else "—"
            if control:
                text += pick(lang, " — montré dans le pont comme « non expliqué »",
                             " — shown in the bridge as \"unexplained\"")
            (st.success if control == 0 else st.error)(text)
            st.caption(pick(lang, "Les abandons de créances reçus entrent par le résultat (produit exceptionnel).",
                            "Claim waivers received enter through the result (exceptional income).")
                       + (pick(lang, " Capital : variation nette du capital social (libérations et remboursements "
                                     "non publiés).", " Capital: net change of share capital (paid-up and repaid "
                                     "amounts not published).") if bridge.capital_net else ""))
        target = view.break_even
        ui.plot("bars_with_target",
            view.results, x="year", unit="EUR", lang=lang, colour_by="series", target=0,
            target_label=pick(lang, "équilibre : résultat ≥ 0", "break-even: result ≥ 0") + (
                pick(lang, f" (visé par le plan : {target.year})", f" (plan's target: {target.year})")
                if target else ""),
            title=pick(lang, "Résultat net contre l'équilibre (€)", "Net result against break-even (€)"))
        if target is not None:
            said, where = target.statement, f" ({target.source})" if target.source else ""
            st.caption(pick(lang, f"Équilibre visé, tel que le plan {f.plan_version} l'énonce : "
                                  f"« {said} »{where}", f"Break-even target as plan {f.plan_version} "
                                                       f"states it: \"{said}\"{where}"))
        ui.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
ui.page_workbook("capitaux_propres")
