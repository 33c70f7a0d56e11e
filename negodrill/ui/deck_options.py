"""Deck options: which named preset a deck uses, and that preset's daily limits and retention.

Presets are shared as in Anki: changing one changes every deck that uses it. The default
preset is the one Settings edits; its limits also cap a session over every deck.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from negodrill.core.models import Preset
from negodrill.storage import presets
from negodrill.storage.store import Store

NEW_PRESET = -1  # the combo's "New preset" entry


class DeckOptionsDialog(QDialog):
    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._deck_id = store, deck_id
        title = store.deck(deck_id)["title"]
        self.setWindowTitle(f"Options for “{title}” — negodrill")
        self.setAccessibleName("Deck options")
        self._presets = {pid: (name, settings) for pid, name, settings in presets.presets(store)}
        self._default = presets.default_id(store)

        self.preset_box = QComboBox()
        self.preset_box.setAccessibleName("Preset")
        for pid, (name, _settings) in self._presets.items():
            used = presets.decks_using(store, pid)
            self.preset_box.addItem(f"{name} (used by {used} deck{'s' * (used != 1)})", pid)
        self.preset_box.addItem("New preset…", NEW_PRESET)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Preset name")
        self.new_spin = QSpinBox()
        self.new_spin.setRange(0, 9999)
        self.new_spin.setAccessibleName("New cards per day")
        self.reviews_spin = QSpinBox()
        self.reviews_spin.setRange(0, 99999)
        self.reviews_spin.setAccessibleName("Reviews per day")
        self.retention_spin = QDoubleSpinBox()
        self.retention_spin.setRange(0.70, 0.99)
        self.retention_spin.setSingleStep(0.01)
        self.retention_spin.setDecimals(2)
        self.retention_spin.setAccessibleName("Desired retention")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About this preset")

        form = QFormLayout()
        form.addRow("&Preset", self.preset_box)
        form.addRow("&Name", self.name_edit)
        form.addRow("New cards per &day", self.new_spin)
        form.addRow("&Reviews per day", self.reviews_spin)
        form.addRow("Desired re&tention", self.retention_spin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

        self.preset_box.currentIndexChanged.connect(self._show_preset)
        current = presets.deck_preset_id(store, deck_id)
        self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(current)))
        self._show_preset()

    def _show_preset(self) -> None:
        pid = self.preset_box.currentData()
        name, settings = self._presets.get(pid, ("", self._presets[self._default][1]))
        self.name_edit.setText(name or "My preset")
        self.new_spin.setValue(settings.new_per_day)
        self.reviews_spin.setValue(settings.reviews_per_day)
        self.retention_spin.setValue(settings.desired_retention)
        used = presets.decks_using(self._store, pid) if pid != NEW_PRESET else 0
        shared = (f"Shared by {used} decks: a change here changes all of them. "
                  if used > 1 else "")
        default = ("This is the default preset: its limits also cap a session over every "
                   "deck. " if pid == self._default else "")
        self.note.setText(shared + default + "The hour a study day starts, the learning steps "
                          "and the fitted scheduler are in Settings, for every deck.")

    def save(self) -> None:
        pid = self.preset_box.currentData()
        settings = Preset(new_per_day=self.new_spin.value(),
                          reviews_per_day=self.reviews_spin.value(),
                          desired_retention=round(self.retention_spin.value(), 2))
        saved = presets.save(self._store, None if pid == NEW_PRESET else pid,
                             self.name_edit.text(), settings)
        presets.use(self._store, self._deck_id, saved)
        self.accept()
