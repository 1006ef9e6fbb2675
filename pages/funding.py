"""Funding against the 1+1 rule: every contribution and round, coverage planned and actual, the 2 % rule."""

from smartdash import charts, formatting
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.metrics.funding import OnePlusOneDefinition
from smartdash.present import chart_specs
from smartdash.present import funding as fp
from smartdash.views import funding as fv
from smartdash.views import sources_of
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(_(lang, "Funding and the 1+1 rule"), f)
st.caption(
    _(
        lang,
        "1+1 rule: each euro SmartBe brings as an associate is matched by one euro from the cooperatives, "
        "their members and partners. Coverage = matched € ÷ SmartBe €.",
    )
)
waivers = st.toggle(_(lang, "Count SmartBe's claim waiver"), key="funding_waivers")
# the switch's label names the amount it counts, which needs the view: read the switch's state first
group = bool(st.session_state.get("funding_group_waivers", False))
definition = OnePlusOneDefinition(include_claim_waivers=waivers, include_group_waivers=group)
view = store.funding(f, definition)
st.toggle(fp.group_waiver_switch(view, lang), key="funding_group_waivers")
if view.lines.empty:
    widgets.empty_state(lang, _(lang, "contributions (funding format)"))
    st.stop()
widgets.synthetic_notice(fv.lines_origin(view).synthetic, lang)
st.info(
    _(lang, "{definition} Plan version: {plan_version}.", definition=definition.describe(lang), plan_version=f.plan_version),
    icon=":material/rule:",
)

names = view.names | {"__total__": fp.total_name(view, lang)}
judged = {j.entity: j for j in view.judgements}
columns = st.columns(len(view.coverage_planned))
for col, planned, actual, end in zip(
    columns,
    view.coverage_planned.itertuples(),
    view.coverage_actual.itertuples(),
    view.coverage_plan_end.itertuples(),
    strict=True,
):
    with col, st.container(border=True):
        ratio = actual.coverage
        judgement = judged.get(actual.entity)
        widgets.status_badge(judgement.status if judgement else None, lang)
        if judgement:
            st.caption(fp.judgement_sentence(judgement, view, lang))
        widgets.metric(
            names[planned.entity],
            formatting.ratio(ratio, lang=lang),
            fv.received_origin(view, None if planned.entity == "__total__" else planned.entity),
            delta_description=_(lang, "achieved · planned to date: {ratio}", ratio=formatting.ratio(planned.coverage, lang=lang)),
        )
        st.caption(
            _(
                lang,
                "End of plan ({plan_end_year}): {ratio}",
                plan_end_year=view.plan_end_year,
                ratio=formatting.ratio(end.coverage, lang=lang),
            )
        )
        if actual.entity == "__total__":  # the group's shortfall is against the rule itself, 1
            said = _(
                lang,
                "SmartBe {money_compact} · matched {money_compact2} · short {money_compact3} · as of {as_of}",
                money_compact=formatting.money_compact(actual.smartbe_eur, lang=lang),
                money_compact2=formatting.money_compact(actual.matched_eur, lang=lang),
                money_compact3=formatting.money_compact(actual.shortfall_eur, lang=lang),
                as_of=formatting.date_long(f.as_of, lang=lang),
            )
        else:  # an entity's gap is to its own plan, in the judgement above
            said = _(
                lang,
                "SmartBe {smartbe} · matched {matched} · as of {as_of}",
                smartbe=formatting.money_compact(actual.smartbe_eur, lang=lang),
                matched=formatting.money_compact(actual.matched_eur, lang=lang),
                as_of=formatting.date_long(f.as_of, lang=lang),
            )
        st.caption(said)

widgets.spec_plot(chart_specs.COVERAGE, view, lang)
st.caption(fp.coverage_caption(view, lang))
widgets.table(fp.judgements_table(view, lang), _(lang, "1+1 coverage judged"), static=True)  # a row per tile
beneficiaries = list(dict.fromkeys(view.lines["beneficiary"]))
for col, entity in zip(st.columns(len(beneficiaries)), beneficiaries, strict=True):
    with col:
        widgets.plot(
            charts.trajectory_chart,
            fp.cumulative_frame(view, entity, lang),
            unit="EUR",
            lang=lang,
            title=_(lang, "{name}: SmartBe and matched, cumulative (€)", name=names[entity]),
        )
st.caption(_(lang, "Solid: achieved; dashed: planned by the plan version."))

st.header(_(lang, "Contributions and rounds"))
widgets.table(fp.contributions_table(view, lang), _(lang, "Contributions"), static=True)

conditional = view.lines[view.lines["condition"].notna()]
for line in conditional.itertuples():
    state = {"pending": _(lang, "pending"), "met": _(lang, "met"), "not_met": _(lang, "not met")}.get(line.condition_status, "—")
    st.warning(
        _(
            lang,
            'Conditional tranche {contributor} → {name} ({planned_amount}): condition "{condition}" — {state}.',
            contributor=line.contributor,
            name=names[line.beneficiary],
            planned_amount=formatting.money(line.planned_amount, lang=lang),
            condition=line.condition,
            state=state,
        ),
        icon=":material/hourglass:",
    )

if view.subscriptions:
    st.header(_(lang, "Member subscriptions and the 2 {pct} rule", pct="%"))
    st.caption(fp.subscriptions_caption(view, lang))
    widgets.plot(
        charts.bars_with_target,
        fp.subscriptions_frame(view, names, lang),
        x="year",
        unit="percent",
        lang=lang,
        colour_by="series",
        target=100,
        target_label="100 %",
        title=_(lang, "Subscription collection rate (%)"),
    )

if not view.discrepancies.empty:
    st.header(_(lang, "Inconsistencies in the plan"))
    widgets.table(fp.discrepancies_table(view, lang), _(lang, "Plan inconsistencies"), static=True)

widgets.sources_expander(sources_of(view.lines["source"]), lang, synthetic=fv.lines_origin(view).synthetic)
downloads.page_workbook("financement")
