"""Funding against the 1+1 rule: every contribution and round, coverage planned and actual, the 2 % rule."""

from smartdash import formatting, ui
from smartdash.inert import st
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.views import funding as fv
from smartdash.views import pick, sources_of

ui.ensure_app_frame()

f = ui.filters()
lang = f.lang
ui.page_header(pick(lang, "Financement et règle du 1+1", "Funding and the 1+1 rule"), f)
st.caption(pick(lang, "Règle du 1+1 : chaque euro apporté par SmartBe en tant qu'associée est égalé par un euro des "
                      "coopératives, de leurs sociétaires et partenaires. Couverture = euros égalés ÷ euros SmartBe.",
                "1+1 rule: each euro SmartBe brings as an associate is matched by one euro from the cooperatives, "
                "their members and partners. Coverage = matched € ÷ SmartBe €."))
waivers = st.toggle(pick(lang, "Compter l'abandon de créances de SmartBe (3,8 M€)", "Count SmartBe's claim waiver"),
                    key="funding_waivers")
# the switch's label names the amount it counts, which needs the view: read the switch's state first
group = bool(st.session_state.get("funding_group_waivers", False))
definition = OnePlusOneDefinition(include_claim_waivers=waivers, include_group_waivers=group)
view = ui.funding(f, definition)
st.toggle(fv.group_waiver_switch(view, lang), key="funding_group_waivers")
if view.lines.empty:
    ui.empty_state(lang, "des apports (format financements)", "contributions (funding format)")
    st.stop()
ui.synthetic_notice(bool(view.lines["is_synthetic"].any()), lang)
st.info(definition.describe(lang) + pick(lang, f" Version du plan : {f.plan_version}.",
                                         f" Plan version: {f.plan_version}."), icon=":material/rule:")

names = view.names | {"__total__": pick(lang, "Total", "Total")}
columns = st.columns(len(view.coverage_planned))
for col, planned, actual, end in zip(columns, view.coverage_planned.itertuples(), view.coverage_actual.itertuples(),
                                     view.coverage_plan_end.itertuples(), strict=True):
    with col, st.container(border=True):
        ratio = actual.coverage
        ui.status_badge(None if ratio is None else ("green" if ratio >= 1 else "red"), lang)
        ui.metric(names[planned.entity], formatting.ratio(ratio, lang=lang),
                  fv.lines_origin(view, None if planned.entity == "__total__" else planned.entity),
                  delta_description=pick(lang, "réalisée · prévue à date : ", "achieved · planned to date: ")
                  + formatting.ratio(planned.coverage, lang=lang))
        st.caption(pick(lang, f"Fin du plan ({view.plan_end_year}) : ", f"End of plan ({view.plan_end_year}): ")
                   + formatting.ratio(end.coverage, lang=lang))
        st.caption(pick(lang, f"SmartBe {formatting.money_compact(actual.smartbe_eur, lang=lang)} · égalés "
                              f"{formatting.money_compact(actual.matched_eur, lang=lang)} · manque "
                              f"{formatting.money_compact(actual.shortfall_eur, lang=lang)} · au "
                              f"{formatting.date_long(f.as_of, lang=lang)}",
                        f"SmartBe {formatting.money_compact(actual.smartbe_eur, lang=lang)} · matched "
                        f"{formatting.money_compact(actual.matched_eur, lang=lang)} · short "
                        f"{formatting.money_compact(actual.shortfall_eur, lang=lang)} · as of "
                        f"{formatting.date_long(f.as_of, lang=lang)}"))

ratios = fv.coverage_frame(view, names, lang, to_date_only=True)  # the plan's end is in each tile, apart
ui.plot("bars_with_target", ratios, x="entity", unit="ratio", lang=lang, colour_by="series", target=1,
                                 target_label=pick(lang, "1,0 : règle respectée", "1.0: rule met"),
                                 title=pick(lang, "Couverture 1+1, prévue et réalisée à date (ratio)",
                                            "1+1 coverage, planned and achieved to date (ratio)"))
st.caption(fv.coverage_caption(view, lang))
beneficiaries = list(dict.fromkeys(view.lines["beneficiary"]))
for col, entity in zip(st.columns(len(beneficiaries)), beneficiaries, strict=True):
    with col:
        ui.plot("trajectory_chart", fv.cumulative_frame(view, entity, lang), unit="EUR", lang=lang,
                                         title=pick(lang, f"{names[entity]} : cumul SmartBe et égalés (€)",
                                                    f"{names[entity]}: SmartBe and matched, cumulative (€)"))
st.caption(pick(lang, "Traits pleins : réalisé ; pointillés : prévu par la version du plan.",
                "Solid: achieved; dashed: planned by the plan version."))

st.subheader(pick(lang, "Apports et levées", "Contributions and rounds"))
ui.table(fv.contributions_table(view, lang), pick(lang, "Apports", "Contributions"))

conditional = view.lines[view.lines["condition"].notna()]
for line in conditional.itertuples():
    state = {"pending": pick(lang, "en attente", "pending"), "met": pick(lang, "remplie", "met"),
             "not_met": pick(lang, "non remplie", "not met")}.get(line.condition_status, "—")
    st.warning(pick(lang, f"Tranche conditionnelle {line.contributor} → {names[line.beneficiary]} "
                          f"({formatting.money(line.planned_amount, lang=lang)}) : condition « {line.condition} » — "
                          f"{state}.",
                    f"Conditional tranche {line.contributor} → {names[line.beneficiary]} "
                    f"({formatting.money(line.planned_amount, lang=lang)}): condition \"{line.condition}\" — {state}."),
               icon=":material/hourglass:")

if view.subscriptions:
    st.subheader(pick(lang, "Souscriptions des sociétaires et règle des 2 %", "Member subscriptions and the 2 % rule"))
    st.caption(fv.subscriptions_caption(view, lang))
    ui.plot("bars_with_target", fv.subscriptions_frame(view, names, lang), x="year", unit="percent", lang=lang,
                                     colour_by="series", target=100, target_label="100 %",
                                     title=pick(lang, "Taux de collecte des souscriptions (%)",
                                                "Subscription collection rate (%)"))

if not view.discrepancies.empty:
    st.subheader(pick(lang, "Incohérences du plan", "Inconsistencies in the plan"))
    ui.table(fv.discrepancies_table(view, lang), pick(lang, "Incohérences du plan", "Plan inconsistencies"))

ui.sources_expander(sources_of(view.lines["source"]), lang,
                    synthetic=bool(view.lines["is_synthetic"].any()))
ui.page_workbook("financement")
