"""What a campaign says: a built-in campaign template, or its own wording in English and Arabic (the Arabic
field right to left), the variables a campaign can fill listed to insert at the cursor, and a preview of both
languages filled for a sample customer. Below it the A/B split: up to four variants with their weight and
wording, the share of the audience kept as a control group that receives nothing, and the metric the variants
are compared on (enabled once two variants are filled in)."""

from __future__ import annotations

import string
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.campaigns.model import (
    CAMPAIGN_VARIABLES,
    MAX_CONTROL_PERCENT,
    MAX_VARIANTS,
    VARIANT_NAME_MAX,
    Message,
    Metric,
    Variant,
)
from core.messaging.templates import CAMPAIGN_TEMPLATES, body
from ui.i18n import Retranslating
from ui.pages.campaigns import labels
from ui.widgets.digits import DigitSpinBox
from ui.widgets.forms import with_error
from ui.widgets.named import make_label, named
from ui.widgets.plain import as_plain

OWN_WORDING = ""  # the template combo's first entry: the campaign's own wording

# The sample customer the preview fills the variables for, in each message language.
SAMPLE = {
    "en": {"name": "Fatima Al Mansouri", "first_name": "Fatima"},
    "ar": {"name": "فاطمة المنصوري", "first_name": "فاطمة"},
}


def filled(text: str, values: Mapping[str, str]) -> str:
    """``text`` with the variables it names filled in; an unknown one, or a broken brace, left as typed."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return text
    out = []
    for literal, name, _spec, _conv in parts:
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


class VariantRow:
    def __init__(self, parent: QWidget, changed: SignalInstance) -> None:
        self.name = QLineEdit(parent)
        self.name.setMaxLength(VARIANT_NAME_MAX)
        self.weight = DigitSpinBox(parent)
        self.weight.setRange(1, 100)
        self.weight.setValue(50)
        self.en = QLineEdit(parent)
        self.ar = QLineEdit(parent)
        self.ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.en.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        for edit in (self.name, self.en, self.ar):
            edit.textChanged.connect(lambda _t: changed.emit())

    def variant(self) -> Variant | None:
        if not (self.name.text().strip() or self.en.text().strip() or self.ar.text().strip()):
            return None
        texts = {"en": self.en.text(), "ar": self.ar.text()}
        return Variant(self.name.text(), self.weight.value(), Message(None, texts))


class MessageSection(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignMessage")
        self.sample_values: dict[str, dict[str, str]] = {"en": {}, "ar": {}}
        self.template_label = QLabel(self)
        self.template = named(QComboBox(self), "campaignTemplate")
        self.template.addItem("", OWN_WORDING)
        for key in CAMPAIGN_TEMPLATES:
            self.template.addItem("", key)
        self.template.currentIndexChanged.connect(self._follow_template)
        self.editors: dict[str, QPlainTextEdit] = {}
        self.editor_titles: dict[str, QLabel] = {}
        self.previews: dict[str, QLabel] = {}
        grid = QGridLayout()
        for column, language in enumerate(("en", "ar")):
            title = make_label(self, "hint")
            editor = named(QPlainTextEdit(self), f"campaignWording_{language}")
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(60)
            direction = Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
            editor.setLayoutDirection(direction)
            option = editor.document().defaultTextOption()
            option.setTextDirection(direction)  # an Arabic wording that opens with {first_name} still reads RTL
            side = Qt.AlignmentFlag.AlignRight if language == "ar" else Qt.AlignmentFlag.AlignLeft
            option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
            editor.document().setDefaultTextOption(option)
            editor.textChanged.connect(self._update_preview)
            editor.textChanged.connect(self.changed.emit)
            editor.installEventFilter(self)
            preview = named(QLabel(self), f"campaignPreview_{language}")
            preview.setTextFormat(Qt.TextFormat.PlainText)
            preview.setWordWrap(True)
            preview.setLayoutDirection(direction)
            preview.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
            preview.setStyleSheet("background: #dcf8c6; color: #111b21; border-radius: 8px; padding: 6px 8px;")
            preview.setMinimumHeight(40)
            grid.addWidget(title, 0, column)
            grid.addWidget(editor, 1, column)
            grid.addWidget(preview, 2, column)
            self.editors[language] = editor
            self.editor_titles[language] = title
            self.previews[language] = preview
        self._target = self.editors["en"]
        self.palette_label = make_label(self, "hint")
        self.variable_buttons: dict[str, QPushButton] = {}
        palette = QHBoxLayout()
        palette.addWidget(self.palette_label)
        for name in CAMPAIGN_VARIABLES:
            button = named(QPushButton("{" + name + "}", self), "variable")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the editor keeps its cursor
            button.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            button.clicked.connect(lambda _c=False, n=name: self.insert_variable(n))
            palette.addWidget(button)
            self.variable_buttons[name] = button
        palette.addStretch(1)
        wording = QWidget(self)
        wl = QVBoxLayout(wording)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addLayout(grid)
        wl.addLayout(palette)
        box, self.error = with_error(self, wording)
        top = QHBoxLayout()
        top.addWidget(self.template_label)
        top.addWidget(self.template, 1)

        self.variants_title = make_label(self, "sectionTitle")
        self.variants_hint = make_label(self, "hint", wrap=True)
        self.rows = [VariantRow(self, self.changed) for _ in range(MAX_VARIANTS)]
        table = QWidget(self)
        vg = QGridLayout(table)
        vg.setContentsMargins(0, 0, 0, 0)
        self.variant_headers = [QLabel(table) for _ in range(4)]
        for column, header in enumerate(self.variant_headers):
            vg.addWidget(header, 0, column)
        for number, row in enumerate(self.rows, start=1):
            for column, widget in enumerate((row.name, row.weight, row.en, row.ar)):
                widget.setParent(table)
                vg.addWidget(widget, number, column)
        vg.setColumnStretch(2, 3)
        vg.setColumnStretch(3, 3)
        vbox, self.variants_error = with_error(self, table)
        self.control_label = QLabel(self)
        self.control = named(DigitSpinBox(self), "controlPercent")
        self.control.setRange(0, MAX_CONTROL_PERCENT)
        self.control.setSuffix(" %")
        self.control.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.control_hint = make_label(self, "hint", wrap=True)
        control_row = QWidget(self)
        cl = QHBoxLayout(control_row)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.control_label)
        cl.addWidget(self.control)
        self.metric_label = QLabel(self)
        self.metric_combo = named(QComboBox(self), "campaignMetric")
        for metric in Metric:
            self.metric_combo.addItem("", metric.value)
        self.metric_combo.setCurrentIndex(self.metric_combo.findData(Metric.CONVERTED.value))
        cl.addWidget(self.control_hint, 1)
        cl.addSpacing(16)
        cl.addWidget(self.metric_label)
        cl.addWidget(self.metric_combo)
        cbox, self.control_error = with_error(self, control_row)
        self.changed.connect(self._follow_variants)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(box)
        layout.addWidget(self.variants_title)
        layout.addWidget(self.variants_hint)
        layout.addLayout(vbox)
        layout.addLayout(cbox)
        layout.addStretch(1)
        self.retranslate()
        self._follow_variants()

    # -- editing ----------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QPlainTextEdit):
            self._target = watched
        return super().eventFilter(watched, event)

    def insert_variable(self, name: str) -> None:
        """``{name}`` at the cursor of the wording last typed in."""
        self._target.insertPlainText("{" + name + "}")
        self._target.setFocus()

    def template_key(self) -> str | None:
        return str(self.template.currentData()) or None

    def _follow_template(self) -> None:
        own = self.template_key() is None
        for editor in self.editors.values():
            editor.setReadOnly(not own)
        for button in self.variable_buttons.values():
            button.setEnabled(own)
        self._update_preview()
        self.changed.emit()

    def set_samples(self, values: dict[str, dict[str, str]]) -> None:
        """The branch and offer words the preview fills in, per message language."""
        self.sample_values = values
        self._update_preview()

    def _update_preview(self) -> None:
        key = self.template_key()
        for language, preview in self.previews.items():
            text = body(key, language) if key else self.editors[language].toPlainText()
            values = {**SAMPLE[language], **self.sample_values.get(language, {})}
            preview.setText(filled(text, values))

    # -- reading and filling ----------------------------------------------------------------------------------
    def message(self) -> Message:
        key = self.template_key()
        if key is not None:
            return Message(key, {})
        return Message(None, {language: editor.toPlainText() for language, editor in self.editors.items()})

    def variants(self) -> tuple[Variant, ...]:
        return tuple(v for row in self.rows if (v := row.variant()) is not None)

    def chosen_metric(self) -> str:
        return str(self.metric_combo.currentData())

    def _follow_variants(self) -> None:
        """The winning metric matters only once there are two variants to compare."""
        self.metric_combo.setEnabled(len(self.variants()) >= 2)

    def fill(
        self,
        message: Message,
        variants: tuple[Variant, ...],
        control_percent: int,
        metric: str = Metric.CONVERTED.value,
    ) -> None:
        self.template.setCurrentIndex(max(0, self.template.findData(message.template_key or OWN_WORDING)))
        for language, editor in self.editors.items():
            editor.setPlainText(message.texts.get(language, ""))
        for row, variant in zip(self.rows, (*variants, *([None] * MAX_VARIANTS)), strict=False):
            row.name.setText(variant.name if variant else "")
            row.weight.setValue(variant.weight if variant else 50)
            row.en.setText(variant.message.texts.get("en", "") if variant else "")
            row.ar.setText(variant.message.texts.get("ar", "") if variant else "")
        self.control.setValue(control_percent)
        self.metric_combo.setCurrentIndex(max(0, self.metric_combo.findData(metric)))
        self._follow_variants()

    def retranslate(self) -> None:
        self.template_label.setText(self.tr("Message:"))
        self.template.setItemText(0, self.tr("Our own wording, below"))
        for index, key in enumerate(CAMPAIGN_TEMPLATES, start=1):
            self.template.setItemText(index, self.tr("Template: %1").replace("%1", labels.template(key)))
        self.editor_titles["en"].setText(self.tr("English wording and preview"))
        self.editor_titles["ar"].setText(self.tr("Arabic wording and preview"))
        self.palette_label.setText(self.tr("Insert:"))
        for name, button in self.variable_buttons.items():
            button.setToolTip(as_plain(labels.variable(name)))
        self.variants_title.setText(self.tr("A/B variants and control group"))
        self.variants_hint.setText(
            self.tr(
                "Leave the rows empty to send the message above to everyone. Each variant filled in replaces it "
                "for its share of the audience, by weight."
            )
        )
        for header, text in zip(
            self.variant_headers,
            (self.tr("Variant"), self.tr("Weight"), self.tr("English wording"), self.tr("Arabic wording")),
            strict=True,
        ):
            header.setText(text)
        self.control_label.setText(self.tr("Control group:"))
        self.control_hint.setText(
            self.tr("This share receives nothing, so the results compare against customers not messaged.")
        )
        self.metric_label.setText(self.tr("Winning metric:"))
        for index in range(self.metric_combo.count()):
            self.metric_combo.setItemText(index, labels.metric(str(self.metric_combo.itemData(index))))
        self.metric_combo.setToolTip(self.tr("With two variants or more, the results name the one leading on this."))
