"""The customer screen's Insights tab: lifetime value, churn risk, expected purchases, RFM segment and the next
likely purchase, each with a short "why" in words, or "Not enough data" and the reason.

The figures are the stored ones (core.analytics: recomputed in the background), read on the thread pool when a
customer is opened. A line at the top says what they are worth: a prediction (it beat the customer's own average
on held-back months), an estimate (it did not), or unchecked. Managers see any customer; a personal shopper their
own VIPs; others see a notice.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from core.analytics.customers import REASON_TEXT, Reason
from core.analytics.ports import CustomerInsight
from core.analytics.rfm import SEGMENT_NAMES, Segment
from core.app import AppServices
from core.customers.model import CustomerProfile
from core.kernel.clock import local
from core.purchases.products import Family
from core.staff.auth import Actor
from ui import loyalty_labels
from ui.i18n import date_text, in_ui_direction, money, number, show_refusal
from ui.ops import Latest
from ui.pages.base import ServicePage
from ui.widgets.named import make_label
from ui.widgets.plain import plain_labels

ROWS = ("value", "churn", "expected", "segment", "next")


def family_text(value: str) -> str:
    return loyalty_labels.family(value) if value in set(Family) else value


def reason_text(reason: str) -> str:
    try:
        code = Reason[reason.upper()]
    except KeyError:
        code = Reason.NO_PURCHASES
    return QCoreApplication.translate("core", REASON_TEXT[code])


def segment_text(code: str | None) -> str:
    try:
        return QCoreApplication.translate("core", SEGMENT_NAMES[Segment(code)]) if code else ""
    except ValueError:
        return code or ""


class CustomerInsightsTab(ServicePage):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(services, "customerInsightsTab", parent)
        self._profile: CustomerProfile | None = None
        self._insight: CustomerInsight | None = None
        self._loaded_once = False
        self._query = Latest()
        self.notice = make_label(self, "hint", wrap=True)
        self.status = make_label(self, "subtitle", wrap=True)
        self.error = make_label(self, "fieldError", wrap=True)
        self.error.hide()
        self.names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        self.whys: dict[str, QLabel] = {}
        # Each figure: its name and value on one line, its why underneath the value, wrapping in the width left.
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        for row, key in enumerate(ROWS):
            self.names[key] = make_label(self, "fieldLabel")
            self.values[key] = make_label(self, f"insight_{key}")
            self.values[key].setStyleSheet("font-weight: 600;")
            self.whys[key] = make_label(self, "hint", wrap=True)
            self.whys[key].setContentsMargins(0, 0, 0, 10)
            grid.addWidget(self.names[key], 2 * row, 0)
            grid.addWidget(self.values[key], 2 * row, 1)
            grid.addWidget(self.whys[key], 2 * row + 1, 1)
        self.computed = make_label(self, "hint")
        self.body = QWidget(self)
        self.body.setLayout(grid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.status)
        layout.addWidget(self.body)
        layout.addWidget(self.computed)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.retranslate()
        plain_labels(self)

    def title(self) -> str:
        return self.tr("Insights")

    def _allowed(self) -> bool:
        return self._actor is not None and self._services.customer_analytics.may_view(self._actor)

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self.reload()

    def show_customer(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self._insight = None
        self._loaded_once = False
        self._show()
        self.reload()

    def reload(self) -> None:
        profile, actor = self._profile, self._actor
        self.error.hide()
        if profile is None or actor is None or not self._allowed():
            self._show()
            return
        customer_id = profile.id
        service = self._services.customer_analytics
        self._query.run(lambda: (customer_id, service.insight(actor, customer_id)), self._loaded, self._failed)

    def _loaded(self, found: tuple[str, CustomerInsight | None]) -> None:
        customer_id, insight = found
        if self._profile is None or self._profile.id != customer_id:
            return
        self._insight = insight
        self._loaded_once = True
        self._show()

    def _failed(self, error: BaseException) -> None:
        self._insight = None
        self._show()
        show_refusal(self.error, error)
        self.error.show()

    # -- what is shown ------------------------------------------------------------------------------------------
    def _show(self) -> None:
        allowed = self._allowed()
        self.notice.setVisible(not allowed)
        insight = self._insight
        self.body.setVisible(allowed and insight is not None)
        self.status.setVisible(allowed and self._loaded_once)
        self.computed.setVisible(allowed and insight is not None and insight.computed_at is not None)
        if not allowed or not self._loaded_once:
            return
        if insight is None:
            self.status.setText(self.tr("No figures for this customer yet."))
            return
        self.status.setText(self._status_text(insight))
        if insight.computed_at is not None:
            self.computed.setText(
                self.tr("Figures as of %1").replace("%1", date_text(local(insight.computed_at).date()))
            )
        modelled = insight.p_alive_pm is not None
        not_enough = self.tr("Not enough data")
        why = reason_text(insight.reason)
        if insight.clv_fils is not None:
            self._set("value", money(insight.clv_fils), self._value_why(insight))
        else:
            self._set("value", not_enough, why)
        if modelled and insight.p_alive_pm is not None:
            risk = max(0, min(100, round(100 - insight.p_alive_pm / 10)))
            self._set("churn", self.tr("%1 %").replace("%1", number(risk)), self._rhythm_why(insight))
        else:
            self._set("churn", not_enough, why)
        if insight.expected_90d_x100 is not None:
            expected = QLocale().toString(insight.expected_90d_x100 / 100, "f", 1)
            self._set("expected", expected, self.tr("From this customer's own rhythm and how long customers stay."))
        else:
            self._set("expected", not_enough, why)
        if insight.segment and insight.rfm:
            r, f, m = insight.rfm
            scores = self.tr("recency %1, frequency %2, spend %3 of 5").replace("%1", number(r))
            scores = scores.replace("%2", number(f)).replace("%3", number(m))
            self._set("segment", segment_text(insight.segment), scores)
        else:
            self._set("segment", not_enough, reason_text("no_purchases"))
        self._set_next(insight)

    def _set(self, key: str, value: str, why: str) -> None:
        # A figure alone ("0.5", "12 %") has no direction of its own: it follows the screen's, as the names do.
        self.values[key].setText(in_ui_direction(value))
        self.whys[key].setText(in_ui_direction(why))

    def _status_text(self, insight: CustomerInsight) -> str:
        if insight.model_status == "prediction":
            return self.tr("Prediction: the model beat each customer's own average on the last six months held back.")
        if insight.model_status == "estimate":
            return self.tr(
                "Estimate, not a prediction: on the last six months held back it did not beat each customer's "
                "own average."
            )
        if insight.model_status == "unvalidated":
            return self.tr("Estimate, not a prediction: too little history yet to check it on held-back months.")
        return self.tr("No model for this store yet: %1").replace("%1", reason_text(insight.reason))

    def _rhythm_why(self, insight: CustomerInsight) -> str:
        """'Bought 7 times, last 12 days ago; usually every 40 days.'"""
        now = self._services.clock.now()
        text = self.tr("Bought %n time(s)", "", insight.purchases)
        if insight.last_purchase_at is not None:
            days = max(0, (now - insight.last_purchase_at).days)
            text = self.tr("%1, %2").replace("%1", text).replace("%2", self.tr("last %n day(s) ago", "", days))
        if insight.mean_gap_days:
            usual = self.tr("usually every %n day(s)", "", insight.mean_gap_days)
            text = self.tr("%1; %2").replace("%1", text).replace("%2", usual)
        return text + "."

    def _value_why(self, insight: CustomerInsight) -> str:
        return (
            self.tr("The next 12 months, discounted 1 % a month. Spent %1 so far, %2 a visit.")
            .replace("%1", money(insight.net_spend_fils))
            .replace("%2", money(insight.average_order_fils))
        )

    def _set_next(self, insight: CustomerInsight) -> None:
        names = [family_text(insight.next_family) if insight.next_family else "", insight.next_brand or ""]
        shown = " · ".join(name for name in names if name)
        if not shown:
            self._set("next", self.tr("Not enough data"), self.tr("No purchases or declared preferences yet."))
            return
        why = {
            "history": self.tr("What they bought most, recent purchases counting most."),
            "declared": self.tr("What they told us they like; not bought yet."),
            "both": self.tr("What they buy most, and told us they like."),
        }.get(insight.next_why or "", "")
        self._set("next", shown, why)

    def retranslate(self) -> None:
        self.notice.setText(self.tr("A customer's insights are for managers and the customer's personal shopper."))
        titles = {
            "value": self.tr("Lifetime value (12 months)"),
            "churn": self.tr("Churn risk"),
            "expected": self.tr("Expected purchases, next 90 days"),
            "segment": self.tr("Segment"),
            "next": self.tr("Next likely purchase"),
        }
        for key, text in titles.items():
            self.names[key].setText(text)
        self._show()
