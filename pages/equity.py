"""Equity trajectory: actual against the plan's path, the bridge of a year, break-even, the pace."""

from smartdash import charts, formatting
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.present import chart_specs
from smartdash.present import compared as cp
from smartdash.present import equity as ep
from smartdash.views import equity as equity_views
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(_(lang, "Equity trajectory"), f)
entities = store.plan_entities(f)
if not entities:
    widgets.empty_state(lang, _(lang, "entities"))
    st.stop()

tabs = st.tabs([name for _c, name in entities])
for tab, (code, name) in zip(tabs, entities, strict=True):
    with tab:
        view = store.equity(f, code, name)
        if view.trajectory.empty:
            widgets.empty_state(lang, _(lang, "equity values (indicator EQUITY)"))
            continue
        widgets.synthetic_notice(view.is_synthetic, lang)
        c1, c2, c3 = st.columns(3)
        year = view.latest_date
        origin = view.actual_origin
        plan_text = (
            _(
                lang,
                "plan {plan_version} end {year}: {amount}",
                plan_version=f.plan_version,
                year=year,
                amount=formatting.money_compact(view.plan_at_latest, lang=lang),
            )
            if view.plan_at_latest is not None
            else None
        )
        widgets.metric(
            _(lang, "Equity"),
            formatting.money_compact(view.latest_equity, lang=lang),
            view.latest_origin,
            where=c1,
            help=formatting.money(view.latest_equity, lang=lang),
            border=True,
            delta=cp.change_text(view.compared, "EUR", lang),
            delta_color=cp.change_colour(view.compared),
            delta_arrow=cp.change_arrow(view.compared),
            delta_description=cp.basis_text(view.compared, lang),
        )
        widgets.metric(
            _(lang, "Quasi-equity (kept apart)"),
            formatting.money_compact(view.latest_quasi_equity, lang=lang),
            view.quasi_origin,
            where=c2,
            border=True,
            help=_(lang, "Shareholder current accounts, participating securities and loans: never added to equity."),
        )
        widgets.metric(
            _(lang, "Positive at current pace"),
            ep.pace_label(view, lang),
            origin,
            where=c3,
            border=True,
            delta_description=_(lang, "plan path: {path}", path=ep.plan_positive_label(view, lang)),
            help=_(
                lang,
                "Year equity turns positive at the average pace of the last three years, extrapolated "
                "linearly; beyond the plan's end ({plan_end_year}) no year is given.",
                plan_end_year=view.plan_end_year,
            ),
        )
        st.caption(" · ".join(t for t in (_(lang, "as of 31 December {year}", year=year), plan_text) if t))
        widgets.spec_plot(chart_specs.EQUITY_TRAJECTORY, view, lang)

        # full width, one under the other: a bridge can have eight steps, and each label must stay readable
        if view.bridge_years:
            chosen = st.columns([1, 3])[0].selectbox(
                _(lang, "Bridge year"), view.bridge_years[::-1], key=f"equity_bridge_year_{code}"
            )
            bridge = view.bridge(chosen)
            widgets.plot(
                charts.waterfall_chart,
                origin.flag(equity_views.bridge_frame(bridge, ep.bridge_labels(bridge, lang))),
                lang=lang,
                title=_(lang, "Equity bridge {chosen} (€)", chosen=chosen),
            )
            control = bridge.control
            money = formatting.money(control, lang=lang, places=2) if control is not None else "—"
            text = (
                _(lang, 'Control (booked − computed): {money} — shown in the bridge as "unexplained"', money=money)
                if control
                else _(lang, "Control (booked − computed): {money}", money=money)
            )
            (st.success if control == 0 else st.error)(text)
            st.caption(
                _(
                    lang,
                    "Claim waivers received enter through the result (exceptional income). Capital: net change of share "
                    "capital (paid-up and repaid amounts not published).",
                )
                if bridge.capital_net
                else _(lang, "Claim waivers received enter through the result (exceptional income).")
            )
        target = view.break_even
        widgets.plot(
            charts.bars_with_target,
            ep.results_labelled(view, lang),
            x="year",
            unit="EUR",
            lang=lang,
            colour_by="series",
            target=0,
            target_label=_(lang, "break-even: result ≥ 0 (plan's target: {year})", year=target.year)
            if target
            else _(lang, "break-even: result ≥ 0"),
            title=_(lang, "Net result against break-even (€)"),
        )
        if target is not None:
            said, where = target.statement.render(lang), f" ({target.source})" if target.source else ""
            st.caption(
                _(
                    lang,
                    'Break-even target as plan {plan_version} states it: "{said}"{where}',
                    plan_version=f.plan_version,
                    said=said,
                    where=where,
                )
            )
        widgets.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
downloads.page_workbook("capitaux_propres")
