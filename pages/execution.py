"""Plan execution: instalments to creditors, liquidity, and the legal lines that can end the plan."""

from smartdash import charts, formatting
from smartdash.i18n import _
from smartdash.inert import st
from smartdash.present import chart_specs
from smartdash.present import execution as xp
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(_(lang, "Plan execution"), f)
st.caption(
    _(
        lang,
        "What can end the plan first is not the level of equity: it is a missed instalment to creditors or a "
        "new cessation of payments (L626-27, L631-1).",
    )
)
entities = store.plan_entities(f)
views = [store.execution(f, code, name) for code, name in entities]
views = [v for v in views if not v.schedule.empty or not v.cash.empty]
if not views:
    widgets.empty_state(lang, _(lang, "the plan's instalments (creditor_claims and instalments formats)"))
    st.stop()
widgets.synthetic_notice(any(v.is_synthetic for v in views), lang)

instalments = chart_specs.EXECUTION_INSTALMENTS
# only the chosen entity's tab is drawn (choosing another reruns the page): each tab is three charts, two tables and
# eight tiles, and a browser drew the hidden ones' too, doubling the page's switch time
tabs = st.tabs([v.entity_name for v in views], key="execution_entity", on_change="rerun")
for tab, view in zip(tabs, views, strict=True):
    legal = _(lang, "Legal lines {entity_name}", entity_name=view.entity_name)
    schedule = _(lang, "Schedule {entity_name}", entity_name=view.entity_name)
    if tab.open is False:  # its tables still go into the page's workbook, made if it is downloaded
        widgets.table_kept(lambda view=view: xp.legal_table(view, lang), legal)
        widgets.table_kept(lambda view=view: xp.schedule_table(view, lang), schedule)
        continue
    with tab:
        c1, c2 = st.columns(2)
        c3, c4 = st.columns(2)
        with c1, st.container(border=True):
            widgets.status_badge(None if view.schedule.empty else "red" if not view.late.empty else "green", lang)
            widgets.metric(
                _(lang, "Cumulative execution rate"),
                formatting.percent(view.execution_rate * 100, lang=lang) if view.execution_rate is not None else "—",
                view.origins["schedule"],
                delta_description=xp.execution_rate_text(view, lang),
            )
        widgets.metric(
            _(lang, "Debt left to repay"),
            xp.debt_left_text(view, lang),
            view.origins["schedule"],
            where=c2,
            help=formatting.money(view.debt_left, lang=lang) if not view.schedule.empty else None,
            border=True,
            delta_description=_(
                lang, "due in {year}: {amount}", year=f.as_of.year, amount=formatting.money_compact(view.due_this_year, lang=lang)
            )
            if not view.schedule.empty
            else _(lang, "no instalment schedule recorded"),
        )
        with c3, st.container(border=True):
            ratio = view.latest_cessation
            widgets.status_badge(None if ratio is None else "green" if ratio >= 1 else "red", lang)
            widgets.metric(
                _(lang, "Cessation-of-payments test"),
                formatting.ratio(ratio, lang=lang),
                view.origins["cessation"],
                delta_description=xp.dated(
                    _(lang, "(available assets + credit lines) ÷ debts due"), view.cessation_date, f.as_of, lang
                ),
            )
        widgets.metric(
            _(lang, "Own cash"),
            formatting.money_compact(view.own_cash, lang=lang),
            view.origins["cash"],
            where=c4,
            border=True,
            delta_description=xp.dated(
                _(lang, "runway: {months} months", months=formatting.number(view.runway, lang=lang, places=1))
                if view.runway is not None
                else _(lang, "runway: no burn over 3 months"),
                view.cash_date,
                f.as_of,
                lang,
            ),
        )
        st.caption(_(lang, "Own cash = net cash − money of members' activities, never presented as the cooperative's."))
        for row in view.late.itertuples():
            st.error(
                _(
                    lang,
                    "Late instalment: {creditor}, no. {seq}, due {due_date} — {value} unpaid, {days_late} days late.",
                    creditor=row.creditor,
                    seq=row.seq,
                    due_date=formatting.date_long(row.due_date, lang=lang),
                    value=formatting.money(row.amount_due - row.amount_paid, lang=lang),
                    days_late=row.days_late,
                ),
                icon=":material/error:",
            )
        left, right = st.columns(2)
        with left:
            if not view.by_year.empty:  # the deck and the dossier draw the same declaration
                shown = chart_specs.InstalmentsShown.of(view)
                widgets.spec_plot(instalments, shown, lang)
        with right:
            if not view.cessation.empty:
                widgets.plot(
                    charts.trajectory_chart,
                    view.cessation.assign(series=_(lang, "ratio"), dashed=False),
                    unit="ratio",
                    lang=lang,
                    rules=[(1, _(lang, "1.0: below, cessation"), charts.STATUS_COLOURS["red"])],
                    title=_(lang, "Cessation-of-payments test (ratio)"),
                )
        if not view.cash.empty:
            widgets.plot(
                charts.trajectory_chart,
                xp.cash_labelled(view, lang),
                unit="EUR",
                lang=lang,
                title=_(lang, "Own cash and members' money (€), never added together"),
            )
        st.header(_(lang, "Legal lines"))
        widgets.table(xp.legal_table(view, lang), legal, static=True)
        c1, c2 = st.columns(2)
        widgets.metric(
            _(lang, "Equity"),
            formatting.money_compact(view.equity, lang=lang),
            view.origins["equity"],
            where=c1,
            border=True,
            delta_description=xp.other_date(view.equity_date, f.as_of, lang),
        )
        widgets.metric(
            _(lang, "Quasi-equity (apart)"),
            formatting.money_compact(view.quasi_equity, lang=lang),
            view.origins["quasi_equity"],
            where=c2,
            border=True,
            delta_description=xp.other_date(view.quasi_equity_date, f.as_of, lang),
        )
        st.header(_(lang, "Schedule"))
        widgets.table(xp.schedule_table(view, lang), schedule, static=True)
        widgets.sources_expander(view.sources, lang, synthetic=view.is_synthetic)
downloads.page_workbook("execution_du_plan")
